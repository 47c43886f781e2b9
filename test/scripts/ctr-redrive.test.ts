import { CreateStreamCommand, DescribeStreamCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { logger } from '../../lambda/shared/logger';
import { firstFailure } from '../../lambda/tag-recordings/failures';
import { main, SPEC } from '../../scripts/ctr-redrive';
import { runCommand } from '../../scripts/lib/cli';
import { ctr, recordingLocation } from '../fixtures/connect-ctr';
import { bufferedIo as captureOutput } from '../support/buffered-io';
import { LocalKinesis, startKinesis } from '../support/kinesalite';
import { memorySqs } from '../support/memory-sqs';
import { LocalS3, startS3 } from '../support/s3rver';

const BUCKET = 'redrive-connect-recordings';
const PARKED = 'https://sqs.us-east-1.amazonaws.com/111111111111/parked';
const SHARDS = 'https://sqs.us-east-1.amazonaws.com/111111111111/shard-failures';
const settings = {
  tagKey: 'retention',
  classes: ['short', 'long'],
  defaultClass: 'long',
  concurrency: 1,
  missingObjectAttempts: 1,
  missingObjectDelayMs: 1,
};

let kinesis: LocalKinesis;
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  [kinesis, s3] = await Promise.all([startKinesis(), startS3([BUCKET])]);
  client = new S3Client({ ...s3.clientConfig });
});

afterAll(async () => {
  client.destroy();
  await Promise.all([kinesis.stop(), s3.stop()]);
});

const keyOf = (location: string) => location.slice(BUCKET.length + 1);
const put = (location: string) =>
  s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf(location), Body: 'audio' }));
const classOf = async (location: string) =>
  (await s3.client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: keyOf(location) }))).TagSet?.find(
    (t) => t.Key === 'retention',
  )?.Value;

async function streamWith(name: string) {
  await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  for (;;) {
    const { StreamDescription } = await kinesis.client.send(new DescribeStreamCommand({ StreamName: name }));
    if (StreamDescription?.StreamStatus === 'ACTIVE') return StreamDescription.StreamARN!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The on-failure record Lambda writes for a Kinesis batch (Lambda's documented shape). */
const onFailure = (streamArn: string, shardId: string, start: string, end: string) =>
  JSON.stringify({
    requestContext: {
      requestId: 'r',
      functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:tagger',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 6,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-11-23T12:00:00.000Z',
    KinesisBatchInfo: {
      shardId,
      startSequenceNumber: start,
      endSequenceNumber: end,
      approximateArrivalOfFirstRecord: '2026-11-23T11:59:00Z',
      approximateArrivalOfLastRecord: '2026-11-23T11:59:01Z',
      batchSize: 3,
      streamArn,
    },
  });

test('--help exits 0 and names both queues', async () => {
  const out = captureOutput();
  expect(
    await runCommand(
      SPEC,
      main(() => {
        throw new Error('unused');
      }),
      ['--help'],
      out.io,
    ),
  ).toBe(0);
  expect(out.stdout()).toContain('usage: npm run ctr:redrive -- --env NAME [--dry-run] [--json]');
});

test('redrive leaves everything while the cause lasts, then tags both kinds and deletes each message only after its recordings are tagged', async () => {
  const inRange = recordingLocation(BUCKET, 'range-missing');
  const inRangeOk = recordingLocation(BUCKET, 'range-ok');
  const parkedRecording = recordingLocation(BUCKET, 'parked-never');
  await put(inRangeOk);
  const streamArn = await streamWith('ctr-redrive');
  const { Records } = await kinesis.client.send(
    new PutRecordsCommand({
      StreamName: 'ctr-redrive',
      Records: [
        JSON.stringify(ctr('range-missing', inRange, { retention: 'short' })),
        '{"not": "a CTR"',
        JSON.stringify(ctr('range-ok', inRangeOk, { retention: 'short' })),
      ].map((d) => ({ Data: Buffer.from(d), PartitionKey: 'p' })),
    }),
  );
  const sequence = Records!.map((r) => r.SequenceNumber!);

  let clock = Date.parse('2026-11-24T09:00:00Z');
  const sqs = memorySqs(() => clock);
  const parkedCtr = firstFailure({
    reason: 'recording-never-arrived',
    detail: 'The recording was still missing.',
    now: new Date('2026-11-23T12:00:00Z'),
    source: { streamArn, shardId: 'shardId-000000000000', sequenceNumber: '1' },
    ctr: ctr('parked-never', parkedRecording, { retention: 'long' }) as unknown as Record<string, unknown>,
    plan: {
      contactId: 'parked-never',
      operations: [{ bucket: BUCKET, key: keyOf(parkedRecording), tagKey: 'retention', value: 'long' }],
    },
  });
  await sqs.client.send(new SendMessageCommand({ QueueUrl: PARKED, MessageBody: JSON.stringify(parkedCtr) }));
  await sqs.client.send(
    new SendMessageCommand({
      QueueUrl: SHARDS,
      MessageBody: onFailure(streamArn, 'shardId-000000000000', sequence[0], sequence[2]),
    }),
  );
  const deps = () => ({
    sqs: sqs.client,
    kinesis: kinesis.client,
    s3: client,
    outputs: async () => ({ ParkedCtrQueueUrl: PARKED, ShardFailureQueueUrl: SHARDS }),
    settings,
  });

  // 1. The recordings are still missing: nothing is deleted, the command exits 1 and says why.
  const first = captureOutput();
  expect(await runCommand(SPEC, main(deps), ['--env', 'sample'], first.io)).toBe(1);
  expect(sqs.calls.get('DeleteMessage')).toBeUndefined();
  expect(sqs.messages(PARKED)).toHaveLength(1);
  expect(sqs.messages(SHARDS)).toHaveLength(1);
  expect(first.stdout()).toContain(
    'Re-processed 0 parked CTRs and 0 shard ranges (3 records read back, 0 parked as no CTR); 2 messages left.',
  );
  expect(first.stdout()).toContain(
    `left in shard-failures m-2: 1 of 3 records are not tagged yet (first: ${sequence[0]}: The recording s3://${inRange} was still missing after 1 reads.)`,
  );

  // 2. A dry run after the fix lists both and changes nothing.
  await Promise.all([put(inRange), put(parkedRecording)]);
  clock += 600_000;
  const dry = captureOutput();
  expect(await runCommand(SPEC, main(deps), ['--env', 'sample', '--dry-run', '--json'], dry.io)).toBe(0);
  expect(JSON.parse(dry.stdout())).toEqual({
    dryRun: true,
    parkedTagged: 1,
    rangesRedriven: 1,
    recordsRead: 3,
    recordsParked: 0,
    left: [],
  });
  expect(await classOf(inRange)).toBeUndefined();
  expect(sqs.calls.get('DeleteMessage')).toBeUndefined();

  // 3. The real run tags both kinds, parks the record that is no CTR with its data, and empties both queues.
  clock += 600_000;
  const second = captureOutput();
  expect(await runCommand(SPEC, main(deps), ['--env', 'sample', '--json'], second.io)).toBe(0);
  expect(JSON.parse(second.stdout())).toEqual({
    dryRun: false,
    parkedTagged: 1,
    rangesRedriven: 1,
    recordsRead: 3,
    recordsParked: 1,
    left: [],
  });
  expect(await classOf(inRange)).toBe('short');
  expect(await classOf(inRangeOk)).toBe('short');
  expect(await classOf(parkedRecording)).toBe('long');
  expect(sqs.messages(SHARDS)).toEqual([]);
  expect(sqs.bodies(PARKED)).toEqual([
    expect.objectContaining({
      reason: 'not-a-ctr',
      data: '{"not": "a CTR"',
      source: expect.objectContaining({ sequenceNumber: sequence[1] }),
    }),
  ]);
});

test('a range the stream no longer holds stays in the queue with a sentence saying so', async () => {
  const sqs = memorySqs(() => Date.now());
  const streamArn = await streamWith('ctr-redrive-gone');
  await sqs.client.send(
    new SendMessageCommand({
      QueueUrl: SHARDS,
      MessageBody: onFailure(
        streamArn,
        'shardId-000000000007',
        '49590000000000000000000000000000000000000000000000000000',
        '49590000000000000000000000000000000000000000000000000001',
      ),
    }),
  );
  const out = captureOutput();
  const code = await runCommand(
    SPEC,
    main(() => ({
      sqs: sqs.client,
      kinesis: kinesis.client,
      s3: client,
      outputs: async () => ({ ParkedCtrQueueUrl: PARKED, ShardFailureQueueUrl: SHARDS }),
      settings,
    })),
    ['--env', 'sample'],
    out.io,
  );
  expect(code).toBe(1);
  expect(out.stdout()).toContain(
    'left in shard-failures m-1: The stream ctr-redrive-gone no longer holds shard shardId-000000000007 from sequence number 49590000000000000000000000000000000000000000000000000000 (its retention period has passed, or the stream or shard is gone): bring these CTRs back from a CTR archive with ctr:backfill, then delete this message.',
  );
  expect(sqs.messages(SHARDS)).toHaveLength(1);
});

test('a stack without the outputs names what to deploy', async () => {
  const out = captureOutput();
  const code = await runCommand(
    SPEC,
    main(() => ({ sqs: memorySqs(() => 0).client, kinesis: kinesis.client, s3: client, outputs: async () => ({}) })),
    ['--env', 'sample'],
    out.io,
  );
  expect(code).toBe(1);
  expect(out.stderr()).toBe(
    'error: The stack RecordingArchive-sample-Connect has no output ParkedCtrQueueUrl; deploy this version of the app to the sample environment first.\n',
  );
});
