import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHandler } from '../../../lambda/pointer-integrity/handler';
import { readSettings } from '../../../lambda/pointer-integrity/settings';
import { logger } from '../../../lambda/shared/logger';
import { Rgw, useRgw } from '../../support/rgw';

// End to end on a real S3 with versions and delete markers (Ceph RADOS Gateway): the handler and
// its run function list every version of the archive, the replica and Connect's bucket through an
// S3 client on the gateway, with the run's start (`now`) injected as the schedule's time 40 days
// after the objects were written. No lifecycle runs here (the rules reach the check as settings,
// as the stack writes them), so every version is still there: the check must report exactly the
// ones past their day.
const DAY_MS = 86_400_000;
const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const pad = (n: number) => String(n).padStart(2, '0');

describe('over-retention on the RADOS Gateway', () => {
  let rgw: Rgw;
  let s3: S3Client;
  const suffix = Date.now();
  const ARCHIVE = `integrity-archive-${suffix}`;
  const REPLICA = `integrity-replica-${suffix}`;
  const CONNECT = `integrity-connect-${suffix}`;
  const written = new Date();
  const y = written.getUTCFullYear();
  const m = pad(written.getUTCMonth() + 1);
  const d = pad(written.getUTCDate());
  const folder = (id: string) => `recordings/org-1/year=${y}/month=${m}/day=${d}/hour=10/conversation_id=${id}/`;
  const connectDay = `connect/CallRecordings/${y}/${m}/${d}/`;

  const put = (Bucket: string, Key: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: rgw.kmsKeyId,
      }),
    );

  beforeAll(async () => {
    logger.setLogLevel('SILENT');
    rgw = await useRgw();
    s3 = rgw.s3();
    for (const Bucket of [ARCHIVE, REPLICA, CONNECT]) {
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
    for (const Bucket of [ARCHIVE, REPLICA]) {
      // A pair within its day; a pair whose recording was written twice (its first version is noncurrent).
      for (const id of ['r1', 'r2']) {
        await put(Bucket, `${folder(id)}${id}.opus`);
        await put(Bucket, `${folder(id)}${id}_metadata.json`);
      }
      await put(Bucket, `${folder('r2')}r2.opus`);
    }
    // A deleted recording: a delete marker over its only version, now noncurrent.
    await put(ARCHIVE, `${folder('r3')}r3.opus`);
    await s3.send(new DeleteObjectCommand({ Bucket: ARCHIVE, Key: `${folder('r3')}r3.opus` }));
    // Connect: a 10-day class (past its day), a 90-day class and an untagged one (within theirs).
    for (const [name, value] of [
      ['short.wav', 'short'],
      ['long.wav', 'long'],
      ['untagged.wav', undefined],
    ] as const) {
      await put(CONNECT, `${connectDay}${name}`);
      if (value) {
        await s3.send(
          new PutObjectTaggingCommand({
            Bucket: CONNECT,
            Key: `${connectDay}${name}`,
            Tagging: { TagSet: [{ Key: 'retention', Value: value }] },
          }),
        );
      }
    }
  }, 200_000);

  afterAll(() => s3?.destroy());

  test('the run finds the current version past its class day and the noncurrent versions past their days, on every copy, and nothing within its day', async () => {
    const window = { id: 'archive-window', prefix: 'recordings/', days: 60 };
    const connectRules = [
      { id: 'retention-class-short', prefix: 'connect/CallRecordings/', tags: { retention: 'short' }, days: 10 },
      { id: 'retention-class-long', prefix: 'connect/CallRecordings/', tags: { retention: 'long' }, days: 90 },
      { id: 'untagged-fallback', prefix: 'connect/CallRecordings/', days: 90 },
    ];
    const settings = readSettings({
      ENVIRONMENT_NAME: 'e2e',
      ARCHIVE_BUCKET: ARCHIVE,
      ARCHIVE_KEY_ARN: rgw.kmsKeyId,
      RECORDINGS_PREFIX: 'recordings/',
      KEY_LAYOUT: LAYOUT,
      GENESYS_ORG_ID: 'org-1',
      PLATFORM_RETENTION_DAYS: '30',
      HORIZON_DAYS: '3',
      LOOKBACK_DAYS: '7',
      RETENTION_TAG_KEY: 'retention',
      RETENTION_CLASSES: 'short,long',
      REPORT_PREFIX: 'reports/pointer-integrity/',
      ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:alarms',
      CONTINUATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:continuation',
      CONNECT_BUCKET: CONNECT,
      CONNECT_PREFIX: 'connect/CallRecordings/',
      CONCURRENCY: '4',
      SAFETY_SECONDS: '1',
      OVER_RETENTION: JSON.stringify({
        copies: [
          { copy: 'archive', bucket: ARCHIVE, noncurrentDays: 5, rules: [window] },
          {
            copy: 'replica',
            bucket: REPLICA,
            region: 'us-west-2',
            noncurrentDays: 5,
            rules: [window],
            list: { layout: 'genesys' },
          },
          { copy: 'connect-bucket', bucket: CONNECT, noncurrentDays: 1, rules: connectRules },
        ],
      }),
    });
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'pointer-integrity' });
    const added: Record<string, number> = {};
    jest.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      added[name] = (added[name] ?? 0) + value;
      return metrics;
    });
    jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const published: string[] = [];
    const regions: string[] = [];
    const handler = createHandler({
      settings,
      s3,
      metrics,
      publish: async (_topic, _subject, message) => {
        published.push(message);
      },
      expirationRules: async () => [{ ...window, tags: {} }],
      // The replica's "region" is the same gateway.
      s3In: (region) => (regions.push(region), s3),
    });
    const start = new Date(written.getTime() + 40 * DAY_MS);
    const summary = await handler(
      { 'detail-type': 'Scheduled Event', time: start.toISOString().replace(/\.\d+Z$/, 'Z') },
      { getRemainingTimeInMillis: () => 600_000 },
    );
    expect(summary.done).toBe(true);
    expect(regions).toEqual(['us-west-2']);
    const report = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: ARCHIVE, Key: summary.reportKey }))
      ).Body!.transformToString(),
    ) as { findings: { type: string; key: string; detail: string }[] };
    const where = (f: { detail: string }) => /\((\S+) s3 version/.exec(f.detail)?.[1];
    expect(report.findings.map((f) => `${f.type} ${where(f)} ${f.key.split('/').pop()}`)).toEqual([
      'NoncurrentPastDay archive r2.opus',
      'NoncurrentPastDay replica r2.opus',
      'NoncurrentPastDay archive r3.opus',
      'RetainedPastDay connect-bucket short.wav',
    ]);
    expect(summary.runCounts).toMatchObject({ RetainedPastDay: 1, NoncurrentPastDay: 3 });
    expect(summary.counts.RecordingWithoutSidecar + summary.counts.NotEncryptedWithArchiveKey).toBe(0);
    expect(added).toMatchObject({ RetainedPastDay: 1, NoncurrentPastDay: 3, Findings: 4 });
    expect(published[published.length - 1]).toContain('RetainedPastDay: 1');
    // Tags: the Connect recordings old enough for the 10-day class; none of the Genesys exports.
    expect(summary.stats.tagRequests).toBe(3);

    // Three days after the writes every version is within its day: nothing is past its day. The Connect
    // recordings are inside the 7-day lookback, so their tags are read for the class check (one untagged).
    const early = await handler(
      {
        'detail-type': 'Scheduled Event',
        time: new Date(written.getTime() + 3 * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      { getRemainingTimeInMillis: () => 600_000 },
    );
    expect(early.done).toBe(true);
    expect(early.runCounts).toMatchObject({ RetainedPastDay: 0, NoncurrentPastDay: 0, MissingRetentionTag: 1 });
    expect(early.stats.tagRequests).toBe(3);
  });
});
