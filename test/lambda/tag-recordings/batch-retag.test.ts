import {
  CreateBucketCommand,
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { logger } from '../../../lambda/shared/logger';
import { BatchRetagEvent, createBatchRetagHandler } from '../../../lambda/tag-recordings/batch-retag';
import { createClassLock } from '../../../lambda/tag-recordings/class-lock';
import { readRetagLocations } from '../../../lambda/tag-recordings/retag-settings';
import { Rgw, useRgw } from '../../support/rgw';
import { S3Proxy, startS3Proxy } from '../../support/s3-proxy';

/**
 * The S3 Batch Operations re-tag handler (LambdaInvoke, invocation schema 2.0) against the Ceph
 * RADOS Gateway on loopback: a bucket with Object Lock, so the class lock is real (lengthened,
 * never shortened), and tags merged with the object's others. Throttling comes from the loopback
 * proxy in front of the gateway (503 SlowDown), which the gateway cannot be made to answer.
 */
const DAY = 86_400_000;
const CLASSES = { short: 30, long: 90 };
const bucket = `retag-${Date.now()}`;
const PREFIX = 'connect/CallRecordings/';
const KEY = `${PREFIX}2026/11/23/7b1c2d3e-0000-4000-8000-00000000c0de_20261123T11:34:56_UTC.wav`;
const SPACED = `${PREFIX}2026/11/23/sales team: call 1_20261123T11:34:56_UTC.wav`;

let rgw: Rgw;
let s3: S3Client;
let proxy: S3Proxy;
let lastModified: Date;

function handlerFor(client: S3Client) {
  return createBatchRetagHandler({
    s3: client,
    tagKey: 'retention',
    classes: Object.keys(CLASSES),
    locations: [{ bucket, prefix: PREFIX }],
    classLock: createClassLock(client, CLASSES),
  });
}

function event(
  keys: string[],
  userArguments: Record<string, string> | null = { retentionClass: 'long' },
): BatchRetagEvent {
  return {
    invocationSchemaVersion: '2.0',
    invocationId: 'aW52b2NhdGlvbi0x',
    job: { id: 'job-1', userArguments },
    // Keys arrive URL-encoded, as the CSV manifest writes them.
    tasks: keys.map((key, i) => ({
      taskId: `t${i}`,
      s3Bucket: bucket,
      s3Key: encodeURIComponent(key),
      s3VersionId: null,
    })),
  };
}

const tagsOf = async (key: string) =>
  Object.fromEntries(
    ((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? []).map((t) => [
      t.Key,
      t.Value,
    ]),
  );
const retainUntil = async (key: string) =>
  (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key }))).Retention?.RetainUntilDate?.getTime();

beforeAll(async () => {
  logger.setLogLevel('SILENT');
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
  for (const key of [KEY, SPACED]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'RIFF' }));
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: KEY,
      Tagging: {
        TagSet: [
          { Key: 'retention', Value: 'short' },
          { Key: 'lob', Value: 'claims' },
        ],
      },
    }),
  );
  lastModified = (await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: KEY }))).Retention!
    .RetainUntilDate!;
  lastModified = new Date(lastModified.getTime() - DAY); // the 1-day default retention counts from the write
  proxy = await startS3Proxy(rgw.endpoint, { throttle: (_m, path) => path.includes('throttled') });
}, 200_000);

afterAll(async () => {
  s3?.destroy();
  await proxy?.stop();
});

test('re-tags with the class of UserArguments, keeps the other tags, and lengthens the lock to the class day', async () => {
  const response = await handlerFor(s3)(event([KEY, SPACED]));
  expect(response).toEqual({
    invocationSchemaVersion: '2.0',
    treatMissingKeysAs: 'PermanentFailure',
    invocationId: 'aW52b2NhdGlvbi0x',
    results: [
      { taskId: 't0', resultCode: 'Succeeded', resultString: 'retention=long written' },
      { taskId: 't1', resultCode: 'Succeeded', resultString: 'retention=long written' },
    ],
  });
  expect(await tagsOf(KEY)).toEqual({ retention: 'long', lob: 'claims' });
  expect(await tagsOf(SPACED)).toEqual({ retention: 'long' });
  const long = (await retainUntil(KEY))!;
  // LastModified + 90 days (to the second: the gateway keeps whole seconds).
  expect(Math.abs(long - (lastModified.getTime() + 90 * DAY))).toBeLessThan(2000);

  // Back to a shorter class: the tag follows, the lock is never shortened.
  const again = await handlerFor(s3)(event([KEY], { retentionClass: 'short' }));
  expect(again.results).toEqual([{ taskId: 't0', resultCode: 'Succeeded', resultString: 'retention=short written' }]);
  expect(await tagsOf(KEY)).toEqual({ lob: 'claims', retention: 'short' });
  expect(await retainUntil(KEY)).toBe(long);
  // The same class again writes nothing.
  expect((await handlerFor(s3)(event([KEY], { retentionClass: 'short' }))).results[0].resultString).toBe(
    'retention=short already set',
  );
});

test('a missing recording, a key outside the Connect prefixes, an unknown class and a version are permanent failures', async () => {
  const missing = await handlerFor(s3)(
    event([`${PREFIX}2026/11/23/nobody_20261123T00:00:00_UTC.wav`, 'recordings/x.opus']),
  );
  expect(missing.results).toEqual([
    {
      taskId: 't0',
      resultCode: 'PermanentFailure',
      resultString: `The recording s3://${bucket}/${PREFIX}2026/11/23/nobody_20261123T00:00:00_UTC.wav is not in S3.`,
    },
    {
      taskId: 't1',
      resultCode: 'PermanentFailure',
      resultString: `s3://${bucket}/recordings/x.opus is outside the Connect recording prefixes (s3://${bucket}/${PREFIX}); only Connect recordings are re-tagged.`,
    },
  ]);
  expect((await handlerFor(s3)(event([KEY], { retentionClass: 'forever' }))).results[0]).toEqual({
    taskId: 't0',
    resultCode: 'PermanentFailure',
    resultString: "The retention class 'forever' is not one of short, long.",
  });
  expect((await handlerFor(s3)(event([KEY], null))).results[0].resultString).toBe(
    'The job has no UserArguments.retentionClass; create it with npm run archive -- retag.',
  );
  const versioned = event([KEY]);
  const response = await handlerFor(s3)({ ...versioned, tasks: [{ ...versioned.tasks[0], s3VersionId: 'v1' }] });
  expect(response.results[0]).toMatchObject({ resultCode: 'PermanentFailure' });
  expect(await tagsOf(KEY)).toEqual({ lob: 'claims', retention: 'short' });
});

test('throttling past the SDK retries is a temporary failure, for Batch Operations to retry', async () => {
  const throttled = `${PREFIX}2026/11/23/throttled_20261123T00:00:00_UTC.wav`;
  const client = new S3Client({
    endpoint: proxy.endpoint,
    region: rgw.region,
    credentials: rgw.credentials,
    forcePathStyle: true,
    maxAttempts: 2,
  });
  const response = await handlerFor(client)(event([throttled]));
  client.destroy();
  expect(response.results).toEqual([
    { taskId: 't0', resultCode: 'TemporaryFailure', resultString: 'SlowDown: Please reduce your request rate.' },
  ]);
});

test('an event of another schema fails the invocation with one sentence; RETAG_LOCATIONS is checked', async () => {
  await expect(handlerFor(s3)({ ...event([KEY]), invocationSchemaVersion: '1.0' })).rejects.toThrow(
    'The event is not an S3 Batch Operations invocation of schema 2.0: invocationSchemaVersion Invalid input: expected "2.0"; create the job with InvocationSchemaVersion 2.0.',
  );
  expect(readRetagLocations({ RETAG_LOCATIONS: JSON.stringify([{ bucket, prefix: PREFIX }]) })).toEqual([
    { bucket, prefix: PREFIX },
  ]);
  expect(() => readRetagLocations({ RETAG_LOCATIONS: '[{"bucket":"b","prefix":"no-slash"}]' })).toThrow(
    `The environment variable RETAG_LOCATIONS must be a JSON array of {"bucket","prefix"} with prefixes ending in '/', not '[{"bucket":"b","prefix":"no-slash"}]'.`,
  );
});
