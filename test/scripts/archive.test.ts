import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectTaggingCommand,
  RestoreObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { GenesysClient } from '../../lambda/shared/genesys/client';
import { ArchiveServices } from '../../scripts/archive/commands';
import { main } from '../../scripts/archive';
import { addRecordingRoutes, FakeRecordingState } from '../support/fake-genesys-recordings';
import { FakeGenesys } from '../support/fake-genesys';
import { Rgw, useRgw } from '../support/rgw';

/**
 * `npm run archive` in-process against real parts on loopback: the Ceph RADOS Gateway (versions,
 * Object Lock, legal hold, tagging, presigned GETs) and the fake Genesys server (conversation
 * details, deletion protection, faults). Mocked, because nothing here implements them: STS
 * GetCallerIdentity, S3 Control CreateJob/DescribeJob (Batch Operations), Athena, and for the
 * restore test the whole S3 client (the gateway has no Glacier storage classes and no RestoreObject).
 */
const ORG = '00000000-0000-4000-8000-000000000000'; // the sample environment's organization
const C1 = '0d2c1e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const START = '2026-11-21T09:15:00.000Z';
const FOLDER = `recordings/${ORG}/year=2026/month=11/day=21/hour=09/conversation_id=${C1}/`;
const CALLER = {
  Account: '111111111111',
  Arn: 'arn:aws:sts::111111111111:assumed-role/recording-archive-legal-hold/alice',
  UserId: 'AROAEXAMPLE:alice',
};

let rgw: Rgw;
let s3: S3Client;
let fake: FakeGenesys;
let recordings: FakeRecordingState;
const bucket = `archive-cli-${Date.now()}`;
const versions: Record<string, string> = {};
let tmp: string;

const sts = new STSClient({ region: 'us-east-1' });
const s3control = new S3ControlClient({ region: 'us-east-1' });
const athena = new AthenaClient({ region: 'us-east-1' });
const stsMock = mockClient(sts);
const controlMock = mockClient(s3control);
const athenaMock = mockClient(athena);

function services(overrides: Partial<ArchiveServices> = {}): () => ArchiveServices {
  return () => ({
    s3,
    s3control,
    athena,
    sts,
    genesys: async () =>
      new GenesysClient({
        loginBaseUrl: fake.baseUrl,
        apiBaseUrl: fake.baseUrl,
        credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
      }),
    presign: (command, expiresIn) => getSignedUrl(s3, command, { expiresIn }),
    credentialsExpiration: async () => undefined,
    now: () => new Date(),
    sleep: async () => undefined,
    pollMs: 0,
    ...overrides,
  });
}

async function run(args: string[], factory = services()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(args, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, factory);
  return { code, out, err };
}

const base = ['--env', 'sample', '--bucket'];

beforeAll(async () => {
  rgw = await useRgw();
  s3 = rgw.s3();
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
  // One call: a recording written twice (two versions) and its sidecar, tagged with a retention class.
  versions.first = (
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${FOLDER}r1.opus`, Body: 'first take' }))
  ).VersionId!;
  versions.second = (
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${FOLDER}r1.opus`, Body: 'OggS audio' }))
  ).VersionId!;
  versions.sidecar = (
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${FOLDER}r1_metadata.json`, Body: '{"mediaType":"Call"}' }),
    )
  ).VersionId!;
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: `${FOLDER}r1.opus`,
      VersionId: versions.second,
      Tagging: { TagSet: [{ Key: 'retention', Value: 'short' }] },
    }),
  );
  fake = await FakeGenesys.start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-cli-'));
}, 200_000);

afterAll(async () => {
  s3?.destroy();
  await fake?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  fake.reset();
  recordings = addRecordingRoutes(fake);
  recordings.conversations.set(C1, { conversationStart: START });
  stsMock.reset();
  stsMock.on(GetCallerIdentityCommand).resolves(CALLER);
  controlMock.reset();
  athenaMock.reset();
});

describe('the command line', () => {
  test('lists its commands, prints help with exit 0 and refuses unknown options with exit 2', async () => {
    const list = await run(['--help']);
    expect(list.code).toBe(0);
    for (const c of ['find', 'restore', 'presign', 'hold', 'release', 'holds', 'search'])
      expect(list.out).toContain(`  ${c}`);
    const help = await run(['hold', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--reason TEXT');
    const bad = await run(['find', '--env', 'sample', '--bucket', bucket, '--conversaton', C1]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("error: Unknown option '--conversaton'.");
  });
});

describe('find', () => {
  test('shows every version of the call with class, size, lock, hold, tags and deletion day', async () => {
    const r = await run(['find', ...base, bucket, '--conversation', C1, '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows.map((x) => [x.key, x.versionId, x.latest])).toEqual(
      expect.arrayContaining([
        [`${FOLDER}r1.opus`, versions.second, true],
        [`${FOLDER}r1.opus`, versions.first, false],
        [`${FOLDER}r1_metadata.json`, versions.sidecar, true],
      ]),
    );
    expect(rows).toHaveLength(3);
    const latest = rows.find((x) => x.versionId === versions.second)!;
    expect(latest).toMatchObject({
      storageClass: 'STANDARD',
      size: 10,
      lockMode: 'GOVERNANCE',
      legalHold: false,
      tags: { retention: 'short' },
    });
    // The sample's class "short" keeps 30 days, shorter than the 730-day window.
    const day = new Date(new Date(latest.lastModified as string).getTime() + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(latest).toMatchObject({ deletes: day, deletesBecause: 'retention class short: 30 days' });
    const older = rows.find((x) => x.versionId === versions.first)!;
    // Noncurrent since the second write: kept 1 more day (its 1-day lock ends before that).
    expect(older).toMatchObject({
      deletesBecause: 'noncurrent for 1 day(s)',
      deletes: new Date(new Date(latest.lastModified as string).getTime() + 86_400_000).toISOString().slice(0, 10),
    });
    expect(fake.received('GET', '/api/v2/analytics/conversations/:id/details')).toHaveLength(1);
  });

  test('names the fix when Genesys does not know the conversation', async () => {
    const r = await run(['find', ...base, bucket, '--conversation', 'no-such-call']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'error: Genesys has no conversation no-such-call; check the id, or pass --start-time with the start from its folder (year=/month=/day=/hour=).\n',
    );
  });

  test('--start-time finds the call without asking Genesys', async () => {
    const r = await run(['find', ...base, bucket, '--conversation', C1, '--start-time', START]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${FOLDER}r1_metadata.json`);
    expect(fake.requests).toEqual([]);
  });
});

describe('hold, holds and release', () => {
  test('hold puts S3 legal hold on every version, Genesys deletion protection on the call, and a locked log entry', async () => {
    const r = await run(['hold', ...base, bucket, '--conversation', C1, '--reason', 'Matter 2026-114']);
    expect(r.code).toBe(0);
    for (const v of [versions.first, versions.second]) {
      const hold = await s3.send(
        new GetObjectLegalHoldCommand({ Bucket: bucket, Key: `${FOLDER}r1.opus`, VersionId: v }),
      );
      expect(hold.LegalHold?.Status).toBe('ON');
    }
    expect(
      (
        await s3.send(
          new GetObjectLegalHoldCommand({
            Bucket: bucket,
            Key: `${FOLDER}r1_metadata.json`,
            VersionId: versions.sidecar,
          }),
        )
      ).LegalHold?.Status,
    ).toBe('ON');
    expect([...recordings.protectedConversations]).toEqual([C1]);
    const put = fake.received('PUT', '/api/v2/recordings/deletionprotection');
    expect(put.map((p) => [p.query, p.body])).toEqual([['?protect=true', { conversationIds: [C1] }]]);

    const logKey = /logged as (holds\/\S+\.json)\./.exec(r.out)![1];
    const entry = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: logKey }))).Body!.transformToString(),
    );
    expect(entry).toMatchObject({
      action: 'hold',
      who: { arn: CALLER.Arn, account: '111111111111' },
      reason: 'Matter 2026-114',
      conversations: [C1],
      failures: [],
    });
    expect(entry.objects).toHaveLength(3);
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: logKey }))).Retention?.Mode).toBe(
      'GOVERNANCE',
    );

    const open = await run(['holds', ...base, bucket, '--json']);
    expect(JSON.parse(open.out)).toEqual([
      { conversationId: C1, since: entry.when, by: CALLER.Arn, reason: 'Matter 2026-114' },
    ]);

    const released = await run(['release', ...base, bucket, '--conversation', C1, '--reason', 'Matter closed']);
    expect(released.code).toBe(0);
    for (const v of [versions.first, versions.second]) {
      expect(
        (await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: `${FOLDER}r1.opus`, VersionId: v })))
          .LegalHold?.Status,
      ).toBe('OFF');
    }
    expect(recordings.protectedConversations.size).toBe(0);
    expect(fake.received('PUT', '/api/v2/recordings/deletionprotection').at(-1)?.query).toBe('?protect=false');
    expect((await run(['holds', ...base, bucket])).out).toMatch(/^No open hold \(\d+ log entries\)\.\n$/);
  });

  test('deletion protection goes to Genesys in calls of at most 100 conversations', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of ids) recordings.conversations.set(id, { conversationStart: START });
    const file = path.join(tmp, 'ids.txt');
    fs.writeFileSync(file, `${[C1, ...ids].join('\n')}\n`);
    const r = await run(['hold', ...base, bucket, '--conversations-file', file, '--reason', 'Bulk matter']);
    expect(r.code).toBe(0);
    const calls = fake
      .received('PUT', '/api/v2/recordings/deletionprotection')
      .map((p) => (p.body as { conversationIds: string[] }).conversationIds);
    expect(calls.map((c) => c.length)).toEqual([100, 100, 51]);
    expect(calls.flat().sort()).toEqual([C1, ...ids].sort());
    expect(recordings.protectedConversations.size).toBe(251);
    await run(['release', ...base, bucket, '--conversations-file', file, '--reason', 'Bulk matter closed']);
    expect(recordings.protectedConversations.size).toBe(0);
  });

  test('a Genesys refusal and a failed call are reported and logged, the S3 holds stay, and the exit code is 1', async () => {
    recordings.refuseProtection.set(C1, 'recording.deletionprotection.denied');
    const r = await run(['hold', ...base, bucket, '--conversation', C1, '--reason', 'Matter 7']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `failed: genesys conversation ${C1}: recording.deletionprotection.denied: conversation ${C1} cannot be updated\n`,
    );
    expect(r.err).toContain(
      'error: 1 of 4 could not be held; fix the cause above and run the same hold again (repeating it is safe).\n',
    );
    expect(
      (
        await s3.send(
          new GetObjectLegalHoldCommand({ Bucket: bucket, Key: `${FOLDER}r1.opus`, VersionId: versions.second }),
        )
      ).LegalHold?.Status,
    ).toBe('ON');
    const logKey = /logged as (holds\/\S+\.json)\./.exec(r.out)![1];
    const entry = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: logKey }))).Body!.transformToString(),
    );
    expect(entry.failures).toEqual([
      {
        target: `genesys conversation ${C1}`,
        error: `recording.deletionprotection.denied: conversation ${C1} cannot be updated`,
      },
    ]);

    recordings.refuseProtection.clear();
    fake.inject({
      method: 'PUT',
      path: '/api/v2/recordings/deletionprotection',
      response: {
        status: 403,
        body: { code: 'missing.permissions', message: 'recording:deletionProtection:revoke is required' },
      },
    });
    const rel = await run(['release', ...base, bucket, '--conversation', C1, '--reason', 'Matter 7 closed']);
    expect(rel.code).toBe(1);
    expect(rel.err).toContain(
      `failed: genesys conversation ${C1}: Genesys answered PUT /api/v2/recordings/deletionprotection with 403 missing.permissions: recording:deletionProtection:revoke is required\n`,
    );
    expect(
      (
        await s3.send(
          new GetObjectLegalHoldCommand({ Bucket: bucket, Key: `${FOLDER}r1.opus`, VersionId: versions.second }),
        )
      ).LegalHold?.Status,
    ).toBe('OFF');
  });

  test('above --batch-threshold a hold is one Batch Operations job: manifest under batch/, the stack role, failures from the completion report', async () => {
    const jobId = 'a1b2c3d4-job';
    controlMock.on(CreateJobCommand).resolves({ JobId: jobId });
    let polls = 0;
    controlMock.on(DescribeJobCommand).callsFake(async () => {
      if (++polls === 1)
        return {
          Job: {
            JobId: jobId,
            Status: 'Active',
            ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 },
          },
        };
      // S3 writes the completion report when the job completes: the fixture, as Report_CSV_20180820.
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `batch/reports/job-${jobId}/manifest.json`,
          Body: JSON.stringify({
            Format: 'Report_CSV_20180820',
            ReportCreationDate: '2026-11-24T10:00:00Z',
            Results: [
              {
                TaskExecutionStatus: 'failed',
                Bucket: bucket,
                MD5Checksum: 'x',
                Key: `batch/reports/job-${jobId}/results/failed.csv`,
              },
            ],
            ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
          }),
        }),
      );
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `batch/reports/job-${jobId}/results/failed.csv`,
          Body: `${bucket},${encodeURIComponent(`${FOLDER}r1.opus`)},${versions.first},failed,AccessDenied,403,"Access Denied, by policy"\n`,
        }),
      );
      return {
        Job: {
          JobId: jobId,
          Status: 'Complete',
          ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 1 },
        },
      };
    });
    const roleArn = 'arn:aws:iam::111111111111:role/RecordingArchive-sample-Archive-OperationsBatchOperationsRole';
    const r = await run([
      'hold',
      ...base,
      bucket,
      '--conversation',
      C1,
      '--reason',
      'Matter 9',
      '--batch-threshold',
      '2',
      '--batch-role-arn',
      roleArn,
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `failed: ${FOLDER}r1.opus ${versions.first}: AccessDenied (HTTP 403): Access Denied, by policy\n`,
    );
    expect(r.err).toContain('error: 1 of 4 could not be held;');

    const create = controlMock.commandCalls(CreateJobCommand)[0].args[0].input;
    const manifestKey = /^arn:aws:s3:::[^/]+\/(.+)$/.exec(create.Manifest!.Location!.ObjectArn!)![1];
    expect(manifestKey).toMatch(/^batch\/\d{4}-\d{2}-\d{2}-hold-[0-9a-f-]{36}\/manifest\.csv$/);
    expect(create).toMatchObject({
      AccountId: '111111111111',
      ConfirmationRequired: false,
      RoleArn: roleArn,
      Operation: { S3PutObjectLegalHold: { LegalHold: { Status: 'ON' } } },
      Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] } },
      Report: {
        Bucket: `arn:aws:s3:::${bucket}`,
        Prefix: 'batch/reports',
        Format: 'Report_CSV_20180820',
        Enabled: true,
        ReportScope: 'FailedTasksOnly',
      },
    });
    const manifest = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey }))
    ).Body!.transformToString();
    expect(manifest.trim().split('\n').sort()).toEqual(
      [
        `${bucket},${encodeURIComponent(`${FOLDER}r1.opus`)},${versions.second}`,
        `${bucket},${encodeURIComponent(`${FOLDER}r1.opus`)},${versions.first}`,
        `${bucket},${encodeURIComponent(`${FOLDER}r1_metadata.json`)},${versions.sidecar}`,
      ].sort(),
    );
    expect(create.Manifest!.Location!.ETag).toBe(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: manifestKey }))).ETag,
    );
    expect(polls).toBe(2);
    // The job, not the CLI, set the S3 holds; Genesys protection still went out directly.
    expect([...recordings.protectedConversations]).toEqual([C1]);
    const logs = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'holds/' }));
    const last = logs
      .Contents!.map((o) => o.Key!)
      .sort()
      .at(-1)!;
    const entry = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: last }))).Body!.transformToString(),
    );
    expect(entry).toMatchObject({
      action: 'hold',
      reason: 'Matter 9',
      objects: [],
      batchJob: { jobId, manifest: manifestKey },
    });
  });

  test('a bulk hold without --batch-role-arn is a usage error that names the output to use', async () => {
    const r = await run(['hold', ...base, bucket, '--conversation', C1, '--reason', 'x', '--batch-threshold', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "error: 3 objects exceed --batch-threshold, so this runs as an S3 Batch Operations job: give --batch-role-arn (the archive stack's BatchOperationsRoleArn output).\n",
    );
  });
});

describe('presign', () => {
  test('gives GET URLs of the current versions that the gateway serves', async () => {
    const r = await run(['presign', ...base, bucket, '--conversation', C1, '--expires', '10m', '--json']);
    expect(r.code).toBe(0);
    const links = JSON.parse(r.out) as { key: string; versionId: string; url: string }[];
    expect(links.map((l) => [l.key, l.versionId])).toEqual(
      expect.arrayContaining([
        [`${FOLDER}r1.opus`, versions.second],
        [`${FOLDER}r1_metadata.json`, versions.sidecar],
      ]),
    );
    const audio = links.find((l) => l.key.endsWith('r1.opus'))!;
    expect(audio.url).toContain('X-Amz-Expires=600');
    const response = await fetch(audio.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OggS audio');
  });

  test('refuses more than 7 days and warns when the credentials end sooner', async () => {
    const tooLong = await run(['presign', ...base, bucket, '--conversation', C1, '--expires', '8d']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.err).toContain(
      'error: --expires 8d is longer than the 7 days a presigned URL can live; use 7d or less.\n',
    );
    const soon = new Date(Date.now() + 30 * 60_000);
    const r = await run(
      ['presign', ...base, bucket, '--conversation', C1, '--expires', '2d'],
      services({ credentialsExpiration: async () => soon }),
    );
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `warning: the signing credentials expire at ${soon.toISOString()}, so these links stop working then, before the 2d asked for; sign with credentials that live that long.\n`,
    );
  });
});

describe('restore (S3 fully mocked: the gateway has no archive classes and no RestoreObject)', () => {
  function archivedS3(restoreHeaders: (string | undefined)[]) {
    const client = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(ListObjectVersionsCommand).resolves({
      Versions: [
        {
          Key: `${FOLDER}r1.opus`,
          VersionId: 'v1',
          IsLatest: true,
          Size: 2 * 1024 ** 3,
          LastModified: new Date('2026-01-01T00:00:00Z'),
        },
      ],
    });
    let heads = 0;
    mock.on(HeadObjectCommand).callsFake(async () => ({
      StorageClass: 'DEEP_ARCHIVE',
      Restore: restoreHeaders[Math.min(heads++, restoreHeaders.length - 1)],
    }));
    mock.on(RestoreObjectCommand).resolves({});
    return { client, mock };
  }

  test('prints time and cost, restores with the tier and days asked, and --wait follows it', async () => {
    const { client, mock } = archivedS3([
      undefined,
      'ongoing-request="true"',
      'ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"',
    ]);
    const r = await run(
      [
        'restore',
        ...base,
        bucket,
        '--conversation',
        C1,
        '--start-time',
        START,
        '--tier',
        'Bulk',
        '--days',
        '3',
        '--wait',
      ],
      services({ s3: client }),
    );
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'restore: 1 object(s), 2147483648 bytes, tier Bulk: ready DEEP_ARCHIVE within 48 hours; approximate retrieval cost $0.0050',
    );
    expect(mock.commandCalls(RestoreObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: bucket,
        Key: `${FOLDER}r1.opus`,
        VersionId: 'v1',
        RestoreRequest: { Days: 3, GlacierJobParameters: { Tier: 'Bulk' } },
      },
    ]);
    expect(r.err).toContain('waiting: all 1 object(s) readable for 3 day(s)');
  });

  test('refuses Expedited for Deep Archive before asking S3', async () => {
    const { client, mock } = archivedS3([undefined]);
    const r = await run(
      ['restore', ...base, bucket, '--conversation', C1, '--start-time', START, '--tier', 'Expedited'],
      services({ s3: client }),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'error: S3 offers no Expedited restore for DEEP_ARCHIVE; use --tier Standard or --tier Bulk.\n',
    );
    expect(mock.commandCalls(RestoreObjectCommand)).toHaveLength(0);
  });
});

describe('search (Athena mocked: no emulator; the SQL itself runs on DuckDB in test/athena)', () => {
  test('runs the named query in the workgroup with quoted parameters and prints every page of rows', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athenaMock
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        ResultSet: {
          Rows: [
            { Data: [{ VarCharValue: 'conversation_id' }, { VarCharValue: 'recording_id' }] },
            { Data: [{ VarCharValue: C1 }, { VarCharValue: 'r1' }] },
          ],
        },
        NextToken: 'p2',
      })
      .resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: C1 }, { VarCharValue: 'r2' }] }] } });
    const r = await run([
      'search',
      '--env',
      'sample',
      '--query',
      'by-agent',
      '--param',
      "user_id=o'brien",
      '--param',
      'from_day=2026-11-01',
      '--param',
      'to_day=2026-11-30',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([
      { conversation_id: C1, recording_id: 'r1' },
      { conversation_id: C1, recording_id: 'r2' },
    ]);
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toMatchObject({
      WorkGroup: 'recording-archive-sample',
      QueryExecutionContext: { Database: 'recording_archive_sample' },
      ExecutionParameters: ["'o''brien'", "'2026-11-01'", "'2026-11-30'"],
    });
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input.QueryString).toContain(
      'contains(userids, ?)',
    );
  });

  test('names the missing parameters and reports a failed query in one sentence', async () => {
    const missing = await run(['search', '--env', 'sample', '--query', 'by-queue', '--param', 'queue_id=q1']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error: by-queue needs --param from_day=... --param to_day=....\n');
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: recording_sidecars' } },
    });
    const failed = await run([
      'search',
      '--env',
      'sample',
      '--query',
      'by-conversation',
      '--param',
      `conversation_id=${C1}`,
    ]);
    expect(failed.code).toBe(1);
    expect(failed.err).toBe('error: Athena query q-2 failed: TABLE_NOT_FOUND: recording_sidecars.\n');
  });
});
