import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectTaggingCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { logger } from '../../../lambda/shared/logger';
import { sqsFailureQueues } from '../../../lambda/tag-recordings/failure-queues';
import { createRetryHandler } from '../../../lambda/tag-recordings/retry-consumer';
import { createHandler } from '../../../lambda/tag-recordings/tagger';
import { memorySqs } from '../../support/memory-sqs';
import { ctr, recordingLocation } from '../../fixtures/connect-ctr';
import { kinesisEvent, lambdaContext, StreamRecord } from '../../support/kinesis-event';
import { LocalKinesis, startKinesis } from '../../support/kinesalite';
import { S3Proxy, startS3Proxy } from '../../support/s3-proxy';
import { LocalS3, startS3 } from '../../support/s3rver';

const BUCKET = 'amazon-connect-test-recordings';
const settings = {
  tagKey: 'retention',
  classes: ['short', 'long'],
  defaultClass: 'long',
  concurrency: 4,
  missingObjectAttempts: 4,
  missingObjectDelayMs: 20,
};

let kinesis: LocalKinesis;
let s3: LocalS3;
let proxy: S3Proxy;
let client: S3Client;

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  [kinesis, s3] = await Promise.all([startKinesis(), startS3([BUCKET])]);
  // s3rver cannot throttle: the proxy answers 503 SlowDown for any key containing "throttled".
  proxy = await startS3Proxy(s3.endpoint, { throttle: (_method, path) => path.includes('throttled') });
  client = new S3Client({ ...s3.clientConfig, endpoint: proxy.endpoint });
});

afterAll(async () => {
  client.destroy();
  await proxy.stop();
  await Promise.all([kinesis.stop(), s3.stop()]);
});

async function putObject(location: string, tags: Array<{ Key: string; Value: string }> = []) {
  const Key = location.slice(BUCKET.length + 1);
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'audio' }));
  if (tags.length > 0)
    await s3.client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key, Tagging: { TagSet: tags } }));
}

async function tagsOf(location: string) {
  const result = await s3.client.send(
    new GetObjectTaggingCommand({ Bucket: BUCKET, Key: location.slice(BUCKET.length + 1) }),
  );
  return result.TagSet;
}

/** Puts the payloads on a fresh kinesalite stream and reads them back as Lambda would receive them. */
async function throughStream(name: string, payloads: string[]): Promise<StreamRecord[]> {
  await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  for (;;) {
    const { StreamDescription } = await kinesis.client.send(new DescribeStreamCommand({ StreamName: name }));
    if (StreamDescription?.StreamStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // One PutRecords keeps the order, so sequence numbers follow the payloads.
  const put = await kinesis.client.send(
    new PutRecordsCommand({
      StreamName: name,
      Records: payloads.map((p) => ({ Data: Buffer.from(p), PartitionKey: 'contact' })),
    }),
  );
  expect(put.FailedRecordCount).toBe(0);
  const { ShardIterator } = await kinesis.client.send(
    new GetShardIteratorCommand({
      StreamName: name,
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator, Limit: 10000 }));
  expect(Records).toHaveLength(payloads.length);
  return Records ?? [];
}

const RETRY = 'https://sqs.us-east-1.amazonaws.com/111111111111/ctr-retry';
const PARKED = 'https://sqs.us-east-1.amazonaws.com/111111111111/ctr-parked';

test('a batch from kinesalite tags every good recording in s3rver, queues or parks the CTRs it cannot tag, and fails only the transient ones', async () => {
  const short = recordingLocation(BUCKET, 'c-short');
  const secondLeg = recordingLocation(BUCKET, 'c-short-agent');
  const unknown = recordingLocation(BUCKET, 'c-unknown');
  const spaced = `${BUCKET}/connect/test-instance/CallRecordings/2026/11/23/sales team: call 1 of 2_20261123T11:34:56_UTC.wav`;
  const never = recordingLocation(BUCKET, 'c-never');
  const throttled = recordingLocation(BUCKET, 'c-throttled');
  const late = recordingLocation(BUCKET, 'c-late');
  await Promise.all([
    putObject(short, [
      { Key: 'lob', Value: 'sales' },
      { Key: 'retention', Value: 'long' },
    ]),
    putObject(secondLeg),
    putObject(unknown),
    putObject(spaced),
  ]);
  const withTwoRecordings = ctr('c-short', short, { retention: 'short' });
  withTwoRecordings.Recordings?.push({ Location: secondLeg, StorageType: 'S3', ParticipantType: 'AGENT' }, null);
  const kvsOnly = {
    ...ctr('c-kvs', null),
    Recordings: [{ Location: 'arn:aws:kinesisvideo:us-east-1:1:stream/x', StorageType: 'KINESIS_VIDEO_STREAM' }],
  };
  const noLocation = ctr('c-no-location', short);
  noLocation.Recordings = [{ StorageType: 'S3', Status: 'AVAILABLE' }];

  const cases: Array<[string, string]> = [
    ['two recordings, class short, foreign tags', JSON.stringify(withTwoRecordings)],
    ['not JSON', '{"ContactId": "c-broken", '],
    ['S3 recording without Location', JSON.stringify(noLocation)],
    ['unknown class', JSON.stringify(ctr('c-unknown', unknown, { retention: 'forever' }))],
    ['key with : and spaces, no class', JSON.stringify(ctr('c-spaced', spaced))],
    ['object never appears', JSON.stringify(ctr('c-never', never, { retention: 'short' }))],
    ['S3 throttling', JSON.stringify(ctr('c-throttled', throttled, { retention: 'short' }))],
    ['no S3 recording', JSON.stringify(kvsOnly)],
    ['object lands after the CTR', JSON.stringify(ctr('c-late', late, { retention: 'short' }))],
  ];
  const records = await throughStream(
    'ctr-end-to-end',
    cases.map(([, payload]) => payload),
  );
  const sqs = memorySqs(() => Date.now());
  const handler = createHandler({
    s3: client,
    settings,
    queues: sqsFailureQueues(sqs.client, { retryQueueUrl: RETRY, parkedQueueUrl: PARKED }),
  });
  const warn = jest.spyOn(logger, 'warn');

  setTimeout(() => void putObject(late), 30);
  const result = await handler(kinesisEvent(records), lambdaContext());

  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  const outcomes = Object.fromEntries(
    cases.map(([name], i) => [name, failed.has(records[i].SequenceNumber ?? '') ? 'failed' : 'ok']),
  );
  expect(outcomes).toEqual({
    'two recordings, class short, foreign tags': 'ok',
    'not JSON': 'ok',
    'S3 recording without Location': 'ok',
    'unknown class': 'ok',
    'key with : and spaces, no class': 'ok',
    'object never appears': 'ok',
    'S3 throttling': 'failed',
    'no S3 recording': 'ok',
    'object lands after the CTR': 'ok',
  });
  expect(await tagsOf(short)).toEqual(
    expect.arrayContaining([
      { Key: 'lob', Value: 'sales' },
      { Key: 'retention', Value: 'short' },
    ]),
  );
  expect(await tagsOf(short)).toHaveLength(2);
  expect(await tagsOf(secondLeg)).toEqual([{ Key: 'retention', Value: 'short' }]);
  expect(await tagsOf(unknown)).toEqual([{ Key: 'retention', Value: 'long' }]);
  expect(await tagsOf(spaced)).toEqual([{ Key: 'retention', Value: 'long' }]);
  expect(await tagsOf(late)).toEqual([{ Key: 'retention', Value: 'short' }]);
  expect(warn).toHaveBeenCalledWith(
    expect.stringContaining('default class'),
    expect.objectContaining({ contactId: 'c-unknown', requested: 'forever', reason: 'unknown' }),
  );
  expect(warn).toHaveBeenCalledWith(
    expect.stringContaining('default class'),
    expect.objectContaining({ contactId: 'c-spaced', reason: 'missing' }),
  );

  // Nothing that left the shard is lost: the missing recording waits on the retry queue, the two
  // records that cannot be tagged are parked with their payloads.
  expect(sqs.bodies(RETRY)).toEqual([
    expect.objectContaining({
      reason: 'recording-late',
      attempt: 1,
      ctr: expect.objectContaining({ ContactId: 'c-never' }),
    }),
  ]);
  expect(sqs.messages(RETRY)[0].visibleAt).toBeGreaterThanOrEqual(Date.now() + 55_000);
  expect(sqs.bodies(PARKED)).toEqual([
    expect.objectContaining({ reason: 'not-a-ctr', data: '{"ContactId": "c-broken", ' }),
    expect.objectContaining({
      reason: 'not-a-ctr',
      detail: 'Contact c-no-location has an S3 recording without a Location.',
      ctr: expect.objectContaining({ ContactId: 'c-no-location' }),
    }),
  ]);

  // Redelivery: the same batch again writes nothing for the records already tagged.
  proxy.counts.clear();
  const again = await handler(kinesisEvent(records), lambdaContext());
  expect(again.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
    result.batchItemFailures.map((f) => f.itemIdentifier),
  );
  expect(proxy.counts.get('PUT ?tagging')).toBeUndefined();
});

test('a recording minutes late is tagged from the retry queue while the next records of the shard are tagged at once; one that never arrives ends parked with its CTR', async () => {
  const late = recordingLocation(BUCKET, 'r-late');
  const never = recordingLocation(BUCKET, 'r-never');
  const next = [recordingLocation(BUCKET, 'r-next-1'), recordingLocation(BUCKET, 'r-next-2')];
  await Promise.all(next.map((l) => putObject(l)));
  const records = await throughStream('ctr-late', [
    JSON.stringify(ctr('r-late', late, { retention: 'short' })),
    JSON.stringify(ctr('r-never', never, { retention: 'short' })),
    ...next.map((l, i) => JSON.stringify(ctr(`r-next-${i + 1}`, l, { retention: 'short' }))),
  ]);
  let clock = Date.parse('2026-11-23T12:00:00Z');
  const now = () => new Date(clock);
  const sqs = memorySqs(() => clock);
  const queues = sqsFailureQueues(sqs.client, { retryQueueUrl: RETRY, parkedQueueUrl: PARKED });
  const handler = createHandler({ s3: client, settings, queues, now });
  const retryHandler = createRetryHandler({ s3: client, settings, queues, lateRecordingHours: 2, now });

  // The shard's batch finishes within the short wait (4 reads, 20-80 ms apart) and tags the next records.
  const started = Date.now();
  const result = await handler(kinesisEvent(records), lambdaContext());
  expect(Date.now() - started).toBeLessThan(5000);
  expect(result.batchItemFailures).toEqual([]);
  for (const l of next) expect(await tagsOf(l)).toEqual([{ Key: 'retention', Value: 'short' }]);
  expect(
    sqs
      .bodies(RETRY)
      .map((b) => (b.plan as { contactId: string }).contactId)
      .sort(),
  ).toEqual(['r-late', 'r-never']);

  // Nothing is delivered before the first delay (60 s); then both are retried, still missing.
  expect(await sqs.deliver(RETRY, (e) => retryHandler(e, lambdaContext('retry')))).toBe(0);
  clock += 60_000;
  expect(await sqs.deliver(RETRY, (e) => retryHandler(e, lambdaContext('retry')))).toBe(2);
  expect(sqs.bodies(RETRY).map((b) => b.attempt)).toEqual([2, 2]);
  expect(sqs.messages(RETRY).map((m) => m.visibleAt - clock)).toEqual([120_000, 120_000]);

  // Three minutes after its CTR the late recording lands and the next retry tags it.
  await putObject(late);
  clock += 120_000;
  expect(await sqs.deliver(RETRY, (e) => retryHandler(e, lambdaContext('retry')))).toBe(2);
  expect(await tagsOf(late)).toEqual([{ Key: 'retention', Value: 'short' }]);
  expect(sqs.bodies(RETRY).map((b) => (b.plan as { contactId: string }).contactId)).toEqual(['r-never']);

  // The other keeps doubling (240 s, 480 s, then 900 s at most) until two hours have passed, then it is parked with its CTR.
  const delays: number[] = [];
  while (sqs.messages(RETRY).length > 0) {
    const [message] = sqs.messages(RETRY);
    delays.push((message.visibleAt - clock) / 1000);
    clock = message.visibleAt;
    await sqs.deliver(RETRY, (e) => retryHandler(e, lambdaContext('retry')));
  }
  expect(delays.slice(0, 4)).toEqual([240, 480, 900, 900]);
  expect(clock - Date.parse('2026-11-23T12:00:00Z')).toBe(2 * 3600_000);
  expect(sqs.bodies(PARKED)).toEqual([
    expect.objectContaining({
      reason: 'recording-never-arrived',
      detail: `The recording s3://${never} was still missing after 1 reads. It was retried for 2 hours.`,
      firstFailedAt: '2026-11-23T12:00:00.000Z',
      ctr: expect.objectContaining({ ContactId: 'r-never', Attributes: { retention: 'short' } }),
      plan: { contactId: 'r-never', operations: [expect.objectContaining({ value: 'short' })] },
      source: expect.objectContaining({ shardId: 'shardId-000000000000', sequenceNumber: records[1].SequenceNumber }),
    }),
  ]);
});
