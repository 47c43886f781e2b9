import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArchiveConfig, loadConfig } from '../../lib/config';
import { ArchiveServices } from '../../scripts/archive/commands';
import { main } from '../../scripts/archive';
import { captureIo } from '../support/capture-output';
import { Rgw, useRgw } from '../support/rgw';

/**
 * `npm run archive` for Amazon Connect contacts and date ranges, in-process against the Ceph RADOS
 * Gateway on loopback: the archive bucket (Object Lock) with `connect/CallRecordings/` and a second
 * bucket standing in for Connect's own bucket (versioned, no Object Lock), both as the sample
 * environment configures them. Mocked, because nothing here implements them: STS
 * GetCallerIdentity, Athena (the SQL itself runs on DuckDB in test/athena), and S3 Control
 * CreateJob/DescribeJob for bulk re-tags (Batch Operations; the handler it invokes runs against the
 * gateway in test/lambda/tag-recordings/batch-retag.test.ts).
 */
const DAY = 86_400_000;
const CALLER = { Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/legal/bob', UserId: 'AROA:bob' };
const K1 = '7b1c2d3e-0000-4000-8000-00000000c0de';
const OTHER = '7b1c2d3e-0000-4000-8000-0000000000ff';
const ORG = '00000000-0000-4000-8000-000000000000';
const C1 = '0d2c1e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const C1_FOLDER = `recordings/${ORG}/year=2026/month=11/day=21/hour=09/conversation_id=${C1}/`;

const stamp = Date.now();
const bucket = `archive-connect-${stamp}`;
const connectBucket = `connect-own-${stamp}`;
// The call: three days ago (UTC) in the archive, and its second recording on the day before in Connect's bucket.
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const day = new Date(today.getTime() - 3 * DAY);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const folder = (d: Date) => iso(d).replace(/-/g, '/');
const archiveKey = `connect/CallRecordings/${folder(day)}/${K1}_${iso(day).replace(/-/g, '')}T10:15:02_UTC.wav`;
const droppedKey = `connect/CallRecordings/${folder(day)}/${K1}_${iso(day).replace(/-/g, '')}T10:20:40_UTC.wav`;
const otherKey = `connect/CallRecordings/${folder(day)}/${OTHER}_${iso(day).replace(/-/g, '')}T10:15:02_UTC.wav`;
const before = new Date(day.getTime() - DAY);
const connectKey = `connect/sample-instance/CallRecordings/${folder(before)}/${K1}_${iso(before).replace(/-/g, '')}T23:59:58_UTC.wav`;

let rgw: Rgw;
let tmp: string;
let files = 0;
/** A --manifest file in this file's temporary folder. */
const manifestFile = (lines: string[]) => {
  const file = path.join(tmp, `manifest-${++files}.txt`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};
let s3: S3Client;
const v: Record<string, string> = {};
const sts = new STSClient({ region: 'us-east-1' });
const athena = new AthenaClient({ region: 'us-east-1' });
const stsMock = mockClient(sts);
const athenaMock = mockClient(athena);

/** The sample environment with Connect's own bucket renamed to this run's bucket. */
function config(name: string): ArchiveConfig {
  const sample = loadConfig(name);
  return {
    ...sample,
    connect: {
      ...sample.connect!,
      existingRecordingBucket: { ...sample.connect!.existingRecordingBucket!, bucketName: connectBucket },
    },
  };
}

function services(overrides: Partial<ArchiveServices> = {}): () => ArchiveServices {
  return () => ({
    s3,
    s3control: new S3ControlClient({ region: 'us-east-1' }),
    athena,
    sts,
    genesys: () => Promise.reject(new Error('Genesys is not asked for Connect contacts or date ranges')),
    presign: (command, expiresIn) => getSignedUrl(s3, command, { expiresIn }),
    credentialsExpiration: async () => undefined,
    now: () => new Date(),
    sleep: async () => undefined,
    pollMs: 0,
    ...overrides,
  });
}

async function run(args: string[], factory = services()) {
  const { io, text } = captureIo();
  const code = await main(args, io, factory, config);
  return { code, out: text.out, err: text.err };
}

const base = ['--env', 'sample', '--bucket', bucket];
type Row = Record<string, unknown>;

beforeAll(async () => {
  rgw = await useRgw();
  s3 = rgw.s3();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-connect-'));
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
      },
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: connectBucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: connectBucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const put = async (b: string, key: string, body: string) =>
    (await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }))).VersionId!;
  v.first = await put(bucket, archiveKey, 'RIFF first');
  v.second = await put(bucket, archiveKey, 'RIFF second take');
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: archiveKey,
      VersionId: v.second,
      Tagging: { TagSet: [{ Key: 'retention', Value: 'short' }] },
    }),
  );
  v.dropped = await put(bucket, droppedKey, 'RIFF dropped');
  v.marker = (await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: droppedKey }))).VersionId!;
  await put(bucket, otherKey, 'RIFF another contact');
  v.connect = await put(connectBucket, connectKey, 'RIFF connect own');
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: connectBucket,
      Key: connectKey,
      Tagging: { TagSet: [{ Key: 'retention', Value: 'long' }] },
    }),
  );
  // A Genesys conversation for the date-range find.
  await put(bucket, `${C1_FOLDER}r1.opus`, 'OggS');
  await put(bucket, `${C1_FOLDER}r1_metadata.json`, '{"mediaType":"Call"}');
}, 200_000);

afterAll(() => {
  s3?.destroy();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  stsMock.reset();
  stsMock.on(GetCallerIdentityCommand).resolves(CALLER);
  athenaMock.reset();
});

describe('find --contact', () => {
  test('lists every version and delete marker of the contact in both Connect locations, with the same columns', async () => {
    const r = await run(['find', ...base, '--contact', K1, '--date', iso(day), '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Row[];
    expect(rows.map((x) => [x.bucket, x.key, x.versionId, x.latest, x.deleteMarker]).sort()).toEqual(
      [
        [bucket, archiveKey, v.second, true, false],
        [bucket, archiveKey, v.first, false, false],
        [bucket, droppedKey, v.marker, true, true],
        [bucket, droppedKey, v.dropped, false, false],
        [connectBucket, connectKey, v.connect, true, false],
      ].sort(),
    );
    const latest = rows.find((x) => x.versionId === v.second)!;
    // The archive: Object Lock stamps its default retention; class short keeps 30 days.
    expect(latest).toMatchObject({
      storageClass: 'STANDARD',
      size: 16,
      lockMode: 'GOVERNANCE',
      legalHold: false,
      tags: { retention: 'short' },
      deletesBecause: 'retention class short: 30 days',
      deletes: iso(new Date(new Date(latest.lastModified as string).getTime() + 30 * DAY)),
    });
    // Connect's own bucket: no lock; class long is its longest class, 90 days.
    const own = rows.find((x) => x.versionId === v.connect)!;
    expect(own).not.toHaveProperty('lockMode');
    expect(own).toMatchObject({
      tags: { retention: 'long' },
      deletesBecause: 'retention class long: 90 days',
    });
    expect(own.deletes).toBe(iso(new Date(new Date(own.lastModified as string).getTime() + 90 * DAY)));
    // The dropped take: noncurrent since its delete marker, kept 1 more day.
    expect(rows.find((x) => x.versionId === v.dropped)).toMatchObject({ deletesBecause: 'noncurrent for 1 day(s)' });

    const text = await run(['find', ...base, '--contact', K1, '--date', iso(day)]);
    expect(text.out).toContain(
      `s3://${connectBucket}/${connectKey}  version ${v.connect} (latest)  STANDARD  16 bytes  lock none  legal hold OFF  tags retention=long`,
    );
    expect(text.out).toContain(`${droppedKey}  version ${v.marker} (latest)  delete marker`);
    expect(text.out).not.toContain(OTHER);
  });

  test('without --date it scans the day folders back from today and stops past the newest day that holds it', async () => {
    const r = await run(['find', ...base, '--contact', K1, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Row[]).map((x) => x.versionId).sort()).toEqual(
      [v.first, v.second, v.dropped, v.marker, v.connect].sort(),
    );
    // Archive: today, 1, 2 and 3 days back hold nothing, then 3 days back holds it and the day before is checked.
    expect(r.err).toContain(
      `scan s3://${bucket}/connect/CallRecordings/ for ${K1}: found on ${iso(day)} after 8 day folder(s)`,
    );
    expect(r.err).toContain(
      `scan s3://${connectBucket}/connect/sample-instance/CallRecordings/ for ${K1}: found on ${iso(before)} after 8 day folder(s)`,
    );
  });

  test('a contact in no location names what to check; --start-time and a bad --date are usage errors', async () => {
    const missing = await run(['find', ...base, '--contact', OTHER.replace('ff', 'ee'), '--date', iso(day)]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `error: No recording of contact ${OTHER.replace('ff', 'ee')} is in the Connect locations; check the id, --date (the call's day, UTC) and --bucket.\n`,
    );
    const bad = await run(['find', ...base, '--contact', K1, '--date', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('error: --date 2026-02-30 is not a day; write it as YYYY-MM-DD, such as 2026-11-23.\n');
    const mixed = await run(['find', ...base, '--contact', K1, '--start-time', '2026-11-21T09:15:00Z']);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain(
      'error: --start-time is for Genesys conversations; for a Connect contact give --date YYYY-MM-DD.\n',
    );
  });
});

describe('hold, release and presign --contact', () => {
  test('hold sets the S3 legal hold on every version it can, reports the bucket without Object Lock, and logs the contact', async () => {
    const r = await run(['hold', ...base, '--contact', K1, '--date', iso(day), '--reason', 'Matter C-1']);
    expect(r.code).toBe(1);
    for (const [key, id] of [
      [archiveKey, v.first],
      [archiveKey, v.second],
      [droppedKey, v.dropped],
    ]) {
      expect(
        (await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: id }))).LegalHold?.Status,
      ).toBe('ON');
    }
    // Connect's own bucket has no Object Lock, so S3 refuses a legal hold there: said, not skipped.
    expect(r.err).toMatch(
      new RegExp(
        `failed: s3://${connectBucket}/${connectKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${v.connect}: InvalidRequest`,
      ),
    );
    expect(r.err).toContain('error: 1 of 4 could not be held;');
    const open = await run(['holds', ...base, '--json']);
    expect(JSON.parse(open.out)).toEqual([
      expect.objectContaining({ contactId: K1, by: CALLER.Arn, reason: 'Matter C-1' }),
    ]);

    const released = await run([
      'release',
      ...base,
      '--contact',
      K1,
      '--date',
      iso(day),
      '--reason',
      'Matter C-1 closed',
    ]);
    expect(released.err).toContain('error: 1 of 4 could not be released;');
    expect(
      (await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: archiveKey, VersionId: v.second }))).LegalHold
        ?.Status,
    ).toBe('OFF');
    expect((await run(['holds', ...base])).out).toMatch(/^No open hold \(2 log entries\)\.\n$/);
  });

  test('a bulk hold of a contact refuses the versions in Connect own bucket, where the Batch Operations role has no rights', async () => {
    const r = await run([
      'hold',
      ...base,
      '--contact',
      K1,
      '--date',
      iso(day),
      '--reason',
      'Bulk C-2',
      '--batch-threshold',
      '1',
      '--batch-role-arn',
      'arn:aws:iam::111111111111:role/batch',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `error: 1 versions are in s3://${connectBucket} (Connect's own bucket), where the Batch Operations role has no rights; raise --batch-threshold to 4 or more to act on them directly.\n`,
    );
  });

  test('presign gives working links to the current recordings in both buckets', async () => {
    const r = await run(['presign', ...base, '--contact', K1, '--date', iso(day), '--json']);
    expect(r.code).toBe(0);
    const links = JSON.parse(r.out) as { bucket: string; key: string; url: string }[];
    expect(links.map((l) => [l.bucket, l.key]).sort()).toEqual(
      [
        [bucket, archiveKey],
        [connectBucket, connectKey],
      ].sort(),
    );
    const bodies = await Promise.all(links.map(async (l) => (await fetch(l.url)).text()));
    expect(bodies.sort()).toEqual(['RIFF connect own', 'RIFF second take']);
  });
});

describe('find --from --to (Athena mocked: no emulator; calls-in-range runs on DuckDB in test/athena)', () => {
  function athenaAnswers(rows: string[][]) {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-range' });
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    const header = ['org', 'year', 'month', 'day', 'hour', 'conversation_id', 'recordings'];
    athenaMock.on(GetQueryResultsCommand).resolves({
      ResultSet: { Rows: [header, ...rows].map((r) => ({ Data: r.map((c) => ({ VarCharValue: c })) })) },
    });
  }

  test('runs calls-in-range with the days, queue and agent, then lists every object of each conversation found', async () => {
    athenaAnswers([[ORG, '2026', '11', '21', '09', C1, '1']]);
    const r = await run([
      'find',
      ...base,
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-30',
      '--queue',
      'q-sales',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const input = athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(input).toMatchObject({
      WorkGroup: 'recording-archive-sample',
      QueryExecutionContext: { Database: 'recording_archive_sample' },
      ExecutionParameters: ["'2026-11-01'", "'2026-11-30'", "'q-sales'", "''"],
    });
    expect(input.QueryString).toContain("AND (p.queue_id = '' OR contains(s.queueids, p.queue_id))");
    expect((JSON.parse(r.out) as Row[]).map((x) => x.key).sort()).toEqual([
      `${C1_FOLDER}r1.opus`,
      `${C1_FOLDER}r1_metadata.json`,
    ]);
  });

  test('an empty range says what to check; --agent without a range and a reversed range are usage errors', async () => {
    athenaAnswers([]);
    const none = await run(['find', ...base, '--from', '2026-11-01', '--to', '2026-11-02', '--agent', 'u-1']);
    expect(none.code).toBe(1);
    expect(none.err).toContain(
      'error: No conversation from 2026-11-01 to 2026-11-02 of agent u-1 is in the sidecar table; check the days (UTC) and ids, or widen the range.\n',
    );
    const alone = await run(['find', ...base, '--agent', 'u-1']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('error: --queue and --agent narrow a date range; give them with --from and --to.\n');
    const reversed = await run(['find', ...base, '--from', '2026-11-30', '--to', '2026-11-01']);
    expect(reversed.code).toBe(2);
    expect(reversed.err).toContain('error: --from 2026-11-30 is after --to 2026-11-01; give the earlier day first.\n');
  });
});

describe('retag', () => {
  const tagsOf = async (b: string, key: string) =>
    Object.fromEntries(
      ((await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: key }))).TagSet ?? []).map((t) => [t.Key, t.Value]),
    );

  test('at or below the threshold it re-tags the contact in both buckets here, merging tags and lengthening the lock', async () => {
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: archiveKey,
        Tagging: {
          TagSet: [
            { Key: 'retention', Value: 'short' },
            { Key: 'lob', Value: 'claims' },
          ],
        },
      }),
    );
    const before = (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: archiveKey }))).Retention!;
    const r = await run(['retag', ...base, '--class', 'long', '--contact', K1, '--date', iso(day)]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "retention=long on 2 of 2 recording(s); each is locked until its class's day where the bucket has Object Lock.\n",
    );
    expect(await tagsOf(bucket, archiveKey)).toEqual({ retention: 'long', lob: 'claims' });
    expect(await tagsOf(connectBucket, connectKey)).toEqual({ retention: 'long' });
    const after = (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: archiveKey }))).Retention!;
    expect(after.Mode).toBe(before.Mode);
    // LastModified + 90 days, from the 1-day default retention LastModified + 1.
    expect(
      Math.abs(after.RetainUntilDate!.getTime() - (before.RetainUntilDate!.getTime() - DAY + 90 * DAY)),
    ).toBeLessThan(2000);
    // Back to short: the tag follows, the lock stays.
    expect(
      (await run(['retag', ...base, '--class', 'short', '--manifest', manifestFile([`s3://${bucket}/${archiveKey}`])]))
        .code,
    ).toBe(0);
    expect(await tagsOf(bucket, archiveKey)).toEqual({ retention: 'short', lob: 'claims' });
    expect(
      (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: archiveKey }))).Retention!.RetainUntilDate,
    ).toEqual(after.RetainUntilDate);
  });

  test('--prefix re-tags every recording under it; a key outside Connect and an unknown class are refused', async () => {
    const r = await run([
      'retag',
      ...base,
      '--class',
      'long',
      '--prefix',
      `connect/CallRecordings/${folder(day)}/${OTHER}`,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ class: 'long', recordings: [`s3://${bucket}/${otherKey}`], failures: [] });
    expect(await tagsOf(bucket, otherKey)).toEqual({ retention: 'long' });

    const outside = await run([
      'retag',
      ...base,
      '--class',
      'long',
      '--manifest',
      manifestFile([`${bucket},${encodeURIComponent(`${C1_FOLDER}r1.opus`)}`]),
    ]);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain(
      `failed: s3://${bucket}/${C1_FOLDER}r1.opus: PermanentFailure: s3://${bucket}/${C1_FOLDER}r1.opus is outside the Connect recording prefixes (s3://${bucket}/connect/CallRecordings/, s3://${connectBucket}/connect/sample-instance/CallRecordings/); only Connect recordings are re-tagged.\n`,
    );
    expect(await tagsOf(bucket, `${C1_FOLDER}r1.opus`)).toEqual({});
    const unknown = await run(['retag', ...base, '--class', 'forever', '--contact', K1, '--date', iso(day)]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('error: --class forever is not one of short, long (retention.classes).\n');
    const badPrefix = await run(['retag', ...base, '--class', 'long', '--prefix', 'recordings/']);
    expect(badPrefix.code).toBe(2);
    expect(badPrefix.err).toContain(`error: --prefix recordings/ is not inside a Connect location`);
  });

  test('above --batch-threshold it is one LambdaInvoke job per bucket (S3 Control mocked), failures from the completion report', async () => {
    const s3control = new S3ControlClient({ region: 'us-east-1' });
    const control = mockClient(s3control);
    const jobIds = ['retag-job-a', 'retag-job-b'];
    let created = 0;
    control.on(CreateJobCommand).callsFake(async () => ({ JobId: jobIds[created++] }));
    control.on(DescribeJobCommand).callsFake(async (input: { JobId: string }) => {
      // S3 writes the completion report when the job completes: for the first job, one failed task.
      const failed = input.JobId === jobIds[0];
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `batch/reports/job-${input.JobId}/manifest.json`,
          Body: JSON.stringify({
            Format: 'Report_CSV_20180820',
            Results: failed
              ? [{ TaskExecutionStatus: 'failed', Key: `batch/reports/job-${input.JobId}/results/failed.csv` }]
              : [],
          }),
        }),
      );
      if (failed)
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `batch/reports/job-${input.JobId}/results/failed.csv`,
            Body: `${bucket},${encodeURIComponent(archiveKey)},,failed,PermanentFailure,200,"The recording is gone"\n`,
          }),
        );
      return {
        Job: {
          JobId: input.JobId,
          Status: 'Complete',
          ProgressSummary: {
            TotalNumberOfTasks: 1,
            NumberOfTasksSucceeded: failed ? 0 : 1,
            NumberOfTasksFailed: failed ? 1 : 0,
          },
        },
      };
    });
    const functionArn = 'arn:aws:lambda:us-east-1:111111111111:function:RecordingArchive-sample-Connect-Retag';
    const roleArn = 'arn:aws:iam::111111111111:role/RecordingArchive-sample-Archive-BatchOperationsRole';
    const args = ['retag', ...base, '--class', 'long', '--contact', K1, '--date', iso(day), '--batch-threshold', '1'];
    const noFunction = await run([...args, '--batch-role-arn', roleArn], services({ s3control }));
    expect(noFunction.code).toBe(2);
    expect(noFunction.err).toContain(
      "error: 2 recordings exceed --batch-threshold, so this runs as S3 Batch Operations jobs: give --retag-function-arn (the Connect stack's RetagFunctionArn output).\n",
    );
    const r = await run(
      [...args, '--batch-role-arn', roleArn, '--retag-function-arn', functionArn],
      services({ s3control }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(`failed: s3://${bucket}/${archiveKey}: PermanentFailure: The recording is gone\n`);
    expect(r.err).toContain('error: 1 of 2 could not be re-tagged;');
    const creates = control.commandCalls(CreateJobCommand).map((c) => c.args[0].input);
    expect(creates).toHaveLength(2);
    for (const create of creates)
      expect(create).toMatchObject({
        RoleArn: roleArn,
        Operation: {
          LambdaInvoke: {
            FunctionArn: functionArn,
            InvocationSchemaVersion: '2.0',
            UserArguments: { retentionClass: 'long' },
          },
        },
        Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] } },
        Report: { Bucket: `arn:aws:s3:::${bucket}`, Prefix: 'batch/reports', ReportScope: 'FailedTasksOnly' },
      });
    // One manifest per bucket, both under the archive's batch/, rows Bucket,URL-encoded key and no version.
    const manifests = await Promise.all(
      creates.map(async (c) => {
        const key = /^arn:aws:s3:::[^/]+\/(.+)$/.exec(c.Manifest!.Location!.ObjectArn!)![1];
        expect(key).toMatch(/^batch\/\d{4}-\d{2}-\d{2}-retag-[0-9a-f-]{36}\/manifest\.csv$/);
        return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
      }),
    );
    expect(manifests.sort()).toEqual(
      [`${bucket},${encodeURIComponent(archiveKey)}\n`, `${connectBucket},${encodeURIComponent(connectKey)}\n`].sort(),
    );
    // The jobs, not the CLI, re-tag: the tags are as the previous test left them.
    expect((await tagsOf(bucket, archiveKey)).retention).toBe('short');
  });
});
