import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  GetObjectCommand,
  HeadObjectCommandOutput,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { IntegrityDeps, createHandler, stateFromEvent } from '../../../lambda/pointer-integrity/handler';
import { FINDING_TYPES } from '../../../lambda/pointer-integrity/findings';
import { logger } from '../../../lambda/shared/logger';
import { ExportedRecordingSource } from '../../../lambda/pointer-integrity/run';
import { IntegritySettings, readSettings } from '../../../lambda/pointer-integrity/settings';
import { LocalS3, startS3 } from '../../support/s3rver';

const ARCHIVE = 'archive-test';
const CONNECT = 'connect-test';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-22T03:00:00Z' };
const DAY = 'recordings/org-1/year=2026/month=11/day=21/';

const ENV = {
  ENVIRONMENT_NAME: 'test',
  ARCHIVE_BUCKET: ARCHIVE,
  ARCHIVE_KEY_ARN: KEY_ARN,
  RECORDINGS_PREFIX: 'recordings/',
  KEY_LAYOUT: LAYOUT,
  GENESYS_ORG_ID: 'org-1',
  PLATFORM_RETENTION_DAYS: '730',
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
};

let s3: LocalS3;
let client: S3Client;

/**
 * s3rver returns no encryption headers, so objects carry their stand-in encryption in user
 * metadata and this middleware moves it into HeadObject's SSE fields, as S3 would return them.
 */
function clientWithStandInEncryption(config: LocalS3['clientConfig']): S3Client {
  const c = new S3Client(config ?? {});
  c.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'HeadObjectCommand') {
        const output = result.output as HeadObjectCommandOutput;
        output.ServerSideEncryption = output.Metadata?.[
          'stand-in-sse'
        ] as HeadObjectCommandOutput['ServerSideEncryption'];
        output.SSEKMSKeyId = output.Metadata?.['stand-in-kms-key-id'];
      }
      return result;
    },
    { step: 'initialize', name: 'standInEncryption' },
  );
  return c;
}

const put = (Key: string, sse: 'kms' | 'AES256' = 'kms', Bucket = ARCHIVE) =>
  client.send(
    new PutObjectCommand({
      Bucket,
      Key,
      Body: 'x',
      Metadata:
        sse === 'kms' ? { 'stand-in-sse': 'aws:kms', 'stand-in-kms-key-id': KEY_ARN } : { 'stand-in-sse': 'AES256' },
    }),
  );
const tag = (Key: string, TagSet: { Key: string; Value: string }[]) =>
  client.send(new PutObjectTaggingCommand({ Bucket: CONNECT, Key, Tagging: { TagSet } }));
const readJson = async (Key: string) =>
  JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: ARCHIVE, Key }))).Body!.transformToString());

function harness(settings: IntegritySettings, source?: ExportedRecordingSource, extra: Partial<IntegrityDeps> = {}) {
  const published: { topic: string; subject: string; message: string }[] = [];
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'pointer-integrity' });
  const added: Record<string, number> = {};
  jest.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
    added[name] = (added[name] ?? 0) + value;
    return metrics;
  });
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  const handler = createHandler({
    settings,
    s3: client,
    metrics,
    source,
    publish: async (topic, subject, message) => {
      published.push({ topic, subject, message });
    },
    expirationRules: async () => [
      { id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 },
      { id: 'hand-made-90-days', prefix: `${DAY}hour=04/`, tags: {}, days: 90 },
    ],
    ...extra,
  });
  return { handler, published, added };
}

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  s3 = await startS3([ARCHIVE, CONNECT]);
  client = clientWithStandInEncryption(s3.clientConfig);
  // Partition 2026-11-21: one good pair and one object per discrepancy.
  await put(`${DAY}hour=01/conversation_id=c1/r1.opus`);
  await put(`${DAY}hour=01/conversation_id=c1/r1_metadata.json`);
  await put(`${DAY}hour=02/conversation_id=c2/lonely.opus`);
  await put(`${DAY}hour=03/conversation_id=c3/orphan_metadata.json`);
  await put(`${DAY}hour=04/conversation_id=c4/short.opus`);
  await put(`${DAY}hour=04/conversation_id=c4/short_metadata.json`);
  await put(`${DAY}hour=05/conversation_id=c5/sse-s3.opus`, 'AES256');
  await put(`${DAY}hour=05/conversation_id=c5/sse-s3_metadata.json`);
  // Other partitions: good pairs only.
  for (const day of ['19', '20', '22']) {
    await put(`recordings/org-1/year=2026/month=11/day=${day}/hour=10/conversation_id=x/r_metadata.json`);
    await put(`recordings/org-1/year=2026/month=11/day=${day}/hour=10/conversation_id=x/r.opus`);
  }
  // Connect: a known class, no tag, an unknown class.
  for (const [name, tags] of [
    ['ok.wav', [{ Key: 'retention', Value: 'short' }]],
    ['untagged.wav', [{ Key: 'other', Value: 'x' }]],
    ['odd.wav', [{ Key: 'retention', Value: 'forever' }]],
  ] as const) {
    const key = `connect/CallRecordings/2026/11/21/${name}`;
    await put(key, 'kms', CONNECT);
    await tag(key, [...tags]);
  }
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
});

test('one scheduled run finds each kind of discrepancy, reports it, counts it and tells the topic', async () => {
  const source: ExportedRecordingSource = {
    page: async () => ({
      recordings: [
        { conversationId: 'c1', recordingId: 'r1', exportedDate: new Date('2026-11-21T01:30:00Z') },
        { conversationId: 'gone', recordingId: 'g1', exportedDate: new Date('2026-11-21T08:00:00Z') },
      ],
      // Covered by the policy, no exportedDate: 27 hours before the run is past the 24-hour grace, 2 hours is not.
      unexported: [
        { conversationId: 'late', recordingId: 'n1', startTime: new Date('2026-11-21T00:00:00Z') },
        { conversationId: 'fresh', recordingId: 'n2', startTime: new Date('2026-11-22T01:00:00Z') },
      ],
    }),
  };
  const { handler, published, added } = harness(readSettings(ENV), source);
  const warn = jest.spyOn(logger, 'warn');
  const context = { getRemainingTimeInMillis: () => 600_000 };
  // Partitions in the first invocation; Genesys exports in a second one of their own.
  const first = await handler(SCHEDULED, context);
  expect(first.done).toBe(false);
  expect(published[0].topic).toBe(ENV.CONTINUATION_TOPIC_ARN);
  const summary = await handler({ Records: [{ Sns: { Message: published[0].message } }] }, context);
  // One structured log line per finding, with its type and key as fields.
  expect(warn).toHaveBeenCalledTimes(9);
  expect(warn).toHaveBeenCalledWith(
    'Pointer-integrity finding.',
    expect.objectContaining({ type: 'SidecarWithoutRecording', key: expect.any(String) }),
  );

  expect(summary.done).toBe(true);
  expect(summary.runCounts).toEqual({
    RecordingWithoutSidecar: 1,
    SidecarWithoutRecording: 1,
    ExportedRecordingMissing: 1,
    NotEncryptedWithArchiveKey: 1,
    MissingRetentionTag: 1,
    UnknownRetentionClass: 1,
    ExpiresBeforePlatformWindow: 2,
    NotExported: 1,
    // Counted (as zero): this environment sets no OVER_RETENTION (s3rver lists no versions), so nothing is
    // measured; rgw-over-retention.test.ts runs this handler with it on the RADOS Gateway.
    RetainedPastDay: 0,
    NoncurrentPastDay: 0,
  });
  expect(first.stats.partitions).toBe(4 + 8);
  expect(summary.stats.exportedChecked).toBe(2);

  const part = await readJson('reports/pointer-integrity/20261122T030000Z/part-0001.json');
  expect(part.partitions).toEqual({ from: 0, to: 12, of: 12, resumed: [], inProgress: [] });
  expect(part.findings.map((f: { type: string; key: string }) => `${f.type} ${f.key}`)).toEqual([
    `ExpiresBeforePlatformWindow ${DAY}hour=04/conversation_id=c4/short.opus`,
    `ExpiresBeforePlatformWindow ${DAY}hour=04/conversation_id=c4/short_metadata.json`,
    'MissingRetentionTag connect/CallRecordings/2026/11/21/untagged.wav',
    `NotEncryptedWithArchiveKey ${DAY}hour=05/conversation_id=c5/sse-s3.opus`,
    `RecordingWithoutSidecar ${DAY}hour=02/conversation_id=c2/lonely.opus`,
    `SidecarWithoutRecording ${DAY}hour=03/conversation_id=c3/orphan_metadata.json`,
    'UnknownRetentionClass connect/CallRecordings/2026/11/21/odd.wav',
  ]);
  const second = await readJson('reports/pointer-integrity/20261122T030000Z/part-0002.json');
  expect(second.findings.map((f: { type: string; key: string }) => `${f.type} ${f.key}`)).toEqual([
    `ExportedRecordingMissing ${DAY}hour=08/conversation_id=gone/g1`,
    'NotExported late/n1',
  ]);
  const run = await readJson('reports/pointer-integrity/20261122T030000Z/summary.json');
  expect(run.total).toBe(9);
  expect(run.parts).toEqual([
    'reports/pointer-integrity/20261122T030000Z/part-0001.json',
    'reports/pointer-integrity/20261122T030000Z/part-0002.json',
  ]);

  expect(added).toMatchObject({
    Findings: 9,
    ExpiresBeforePlatformWindow: 2,
    RecordingWithoutSidecar: 1,
    ExportedRecordingMissing: 1,
    NotExported: 1,
    PartitionsChecked: 12,
  });
  expect(published).toHaveLength(2);
  expect(published[1].topic).toBe(ENV.ALARM_TOPIC_ARN);
  expect(published[1].subject).toBe('Pointer-integrity check found discrepancies');
  expect(published[1].message).toContain('ExpiresBeforePlatformWindow: 2');
  expect(published[1].message).toContain('NotExported: 1');
});

test('a run near the time limit continues through the topic and covers every partition exactly once', async () => {
  const settings = readSettings({ ...ENV, HORIZON_DAYS: '30', CONCURRENCY: '2', SAFETY_SECONDS: '10' });
  const { handler, published } = harness(settings);
  // Each invocation has 20 s "left" and loses a second per look at the clock (before every list page and batch of
  // reads), so it stops after a few partitions, sometimes inside one.
  const parts: { from: number; to: number; of: number }[] = [];
  let event: unknown = { ...SCHEDULED, time: '2026-11-23T03:00:00Z' };
  for (let i = 0; i < 80; i++) {
    let left = 20_000;
    const summary = await handler(event, { getRemainingTimeInMillis: () => (left -= 1000) });
    parts.push((await readJson(summary.reportKey)).partitions);
    if (summary.done) break;
    const continuation = published[published.length - 1];
    expect(continuation.topic).toBe(ENV.CONTINUATION_TOPIC_ARN);
    event = { Records: [{ Sns: { Message: continuation.message } }] };
  }
  expect(parts.length).toBeGreaterThan(2);
  // Contiguous, non-overlapping ranges that end at the plan's length.
  parts.forEach((p, i) => expect(p.from).toBe(i === 0 ? 0 : parts[i - 1].to));
  expect(parts[parts.length - 1].to).toBe(parts[0].of);
  const run = await readJson('reports/pointer-integrity/20261123T030000Z/summary.json');
  expect(run.invocations).toBe(parts.length);
  expect(run.parts).toHaveLength(parts.length);
});

test('each invocation builds its Genesys source with a total budget of the time left minus the safety margin', async () => {
  const settings = readSettings({ ...ENV, SAFETY_SECONDS: '120' });
  const budgets: number[] = [];
  const { handler } = harness(settings, undefined, {
    sourceFor: (totalBudgetMs) => {
      budgets.push(totalBudgetMs);
      return { page: async () => ({ recordings: [] }) };
    },
  });
  // A continuation whose partitions are done: this invocation pages Genesys exports.
  const counts = Object.fromEntries(FINDING_TYPES.map((t) => [t, 0]));
  const state = {
    runId: '20261124T030000Z',
    startedAt: '2026-11-24T03:00:00.000Z',
    invocation: 2,
    nextPartition: 12,
    genesysDone: false,
    counts,
  };
  const event = { Records: [{ Sns: { Message: JSON.stringify(state) } }] };
  expect((await handler(event, { getRemainingTimeInMillis: () => 600_000 })).done).toBe(true);
  // Built per invocation, so a warm container's next invocation gets its own budget, not what is left of the first one's.
  expect((await handler(event, { getRemainingTimeInMillis: () => 300_000 })).done).toBe(true);
  expect(budgets).toEqual([600_000 - 120_000, 300_000 - 120_000]);
});

test('an event that is neither the schedule nor a continuation is refused in one sentence', () => {
  expect(() => stateFromEvent({ hello: 'world' })).toThrow(
    'The event is neither the scheduled start of a run nor the SNS continuation of one.',
  );
  expect(() => stateFromEvent({ Records: [{ Sns: { Message: '{"runId":"x"}' } }] })).toThrow(
    'The event is neither the scheduled start of a run nor the SNS continuation of one.',
  );
});

test('settings name the first missing variable in one sentence', () => {
  const { ARCHIVE_KEY_ARN: _omitted, ...rest } = ENV;
  expect(() => readSettings(rest)).toThrow(/^The environment variable ARCHIVE_KEY_ARN is missing or invalid \(.+\)\.$/);
  const { CONNECT_PREFIX: _prefix, ...half } = ENV;
  expect(() => readSettings(half)).toThrow(
    'The environment variables CONNECT_BUCKET and CONNECT_PREFIX must be set together.',
  );
  expect(() => readSettings({ ...ENV, GENESYS_REGION: 'us-east-1' })).toThrow(
    'The environment variables GENESYS_REGION and GENESYS_OAUTH_SECRET_NAME must be set together.',
  );
  expect(readSettings({ ...ENV, GENESYS_REGION: 'us-east-1', GENESYS_OAUTH_SECRET_NAME: 's' }).genesys).toEqual({
    region: 'us-east-1',
    oauthSecretName: 's',
  });
});

test('settings read the export grace and the export policy coverage, defaulting to 24 hours and calls without conditions', () => {
  expect(readSettings(ENV)).toMatchObject({
    exportGraceHours: 24,
    exportCoverage: { mediaTypes: ['call'], queueIds: [], directions: [], wrapupCodeIds: [] },
  });
  const custom = readSettings({
    ...ENV,
    EXPORT_GRACE_HOURS: '36',
    EXPORT_MEDIA_TYPES: 'call,chat',
    EXPORT_QUEUE_IDS: 'q-1,q-2',
    EXPORT_DIRECTIONS: 'INBOUND',
    EXPORT_WRAPUP_CODE_IDS: 'w-1',
  });
  expect(custom.exportGraceHours).toBe(36);
  expect(custom.exportCoverage).toEqual({
    mediaTypes: ['call', 'chat'],
    queueIds: ['q-1', 'q-2'],
    directions: ['INBOUND'],
    wrapupCodeIds: ['w-1'],
  });
  expect(() => readSettings({ ...ENV, EXPORT_GRACE_HOURS: '0' })).toThrow(
    /^The environment variable EXPORT_GRACE_HOURS is missing or invalid \(.+\)\.$/,
  );
});
