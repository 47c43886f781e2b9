import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectTaggingCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { logger } from '../../../lambda/shared/logger';
import { createHandler } from '../../../lambda/tag-recordings/tagger';
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
  if (tags.length > 0) await s3.client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key, Tagging: { TagSet: tags } }));
}

async function tagsOf(location: string) {
  const result = await s3.client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: location.slice(BUCKET.length + 1) }));
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
    new PutRecordsCommand({ StreamName: name, Records: payloads.map((p) => ({ Data: Buffer.from(p), PartitionKey: 'contact' })) }),
  );
  expect(put.FailedRecordCount).toBe(0);
  const { ShardIterator } = await kinesis.client.send(
    new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const { Records } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator, Limit: 10000 }));
  expect(Records).toHaveLength(payloads.length);
  return Records ?? [];
}

test('a batch from kinesalite tags every good recording in s3rver and fails exactly the bad records', async () => {
  const short = recordingLocation(BUCKET, 'c-short');
  const secondLeg = recordingLocation(BUCKET, 'c-short-agent');
  const unknown = recordingLocation(BUCKET, 'c-unknown');
  const spaced = `${BUCKET}/connect/test-instance/CallRecordings/2026/11/23/sales team: call 1 of 2_20261123T11:34:56_UTC.wav`;
  const never = recordingLocation(BUCKET, 'c-never');
  const throttled = recordingLocation(BUCKET, 'c-throttled');
  const late = recordingLocation(BUCKET, 'c-late');
  await Promise.all([
    putObject(short, [{ Key: 'lob', Value: 'sales' }, { Key: 'retention', Value: 'long' }]),
    putObject(secondLeg),
    putObject(unknown),
    putObject(spaced),
  ]);
  const withTwoRecordings = ctr('c-short', short, { retention: 'short' });
  withTwoRecordings.Recordings?.push({ Location: secondLeg, StorageType: 'S3', ParticipantType: 'AGENT' }, null);
  const kvsOnly = { ...ctr('c-kvs', null), Recordings: [{ Location: 'arn:aws:kinesisvideo:us-east-1:1:stream/x', StorageType: 'KINESIS_VIDEO_STREAM' }] };
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
  const records = await throughStream('ctr-end-to-end', cases.map(([, payload]) => payload));
  const handler = createHandler({ s3: client, settings });
  const warn = jest.spyOn(logger, 'warn');

  setTimeout(() => void putObject(late), 30);
  const result = await handler(kinesisEvent(records), lambdaContext());

  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  const outcomes = Object.fromEntries(cases.map(([name], i) => [name, failed.has(records[i].SequenceNumber ?? '') ? 'failed' : 'ok']));
  expect(outcomes).toEqual({
    'two recordings, class short, foreign tags': 'ok',
    'not JSON': 'failed',
    'S3 recording without Location': 'failed',
    'unknown class': 'ok',
    'key with : and spaces, no class': 'ok',
    'object never appears': 'failed',
    'S3 throttling': 'failed',
    'no S3 recording': 'ok',
    'object lands after the CTR': 'ok',
  });
  expect(await tagsOf(short)).toEqual(expect.arrayContaining([{ Key: 'lob', Value: 'sales' }, { Key: 'retention', Value: 'short' }]));
  expect(await tagsOf(short)).toHaveLength(2);
  expect(await tagsOf(secondLeg)).toEqual([{ Key: 'retention', Value: 'short' }]);
  expect(await tagsOf(unknown)).toEqual([{ Key: 'retention', Value: 'long' }]);
  expect(await tagsOf(spaced)).toEqual([{ Key: 'retention', Value: 'long' }]);
  expect(await tagsOf(late)).toEqual([{ Key: 'retention', Value: 'short' }]);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('default class'), expect.objectContaining({ contactId: 'c-unknown', requested: 'forever', reason: 'unknown' }));
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('default class'), expect.objectContaining({ contactId: 'c-spaced', reason: 'missing' }));

  // Redelivery: the same batch again writes nothing for the records already tagged.
  proxy.counts.clear();
  const again = await handler(kinesisEvent(records), lambdaContext());
  expect(again.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(result.batchItemFailures.map((f) => f.itemIdentifier));
  expect(proxy.counts.get('PUT ?tagging')).toBeUndefined();
});
