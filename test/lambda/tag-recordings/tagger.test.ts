import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client, Tag } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../lambda/shared/logger';
import { FailureQueues } from '../../../lambda/tag-recordings/failure-queues';
import { FailureMessage } from '../../../lambda/tag-recordings/failures';
import { createHandler } from '../../../lambda/tag-recordings/tagger';
import { ctr, recordingLocation } from '../../fixtures/connect-ctr';
import { kinesisEventOf, lambdaContext } from '../../support/kinesis-event';

const BUCKET = 'amazon-connect-test-recordings';
const settings = {
  tagKey: 'retention',
  classes: ['short', 'long', 'legal'],
  defaultClass: 'long',
  concurrency: 4,
  missingObjectAttempts: 2,
  missingObjectDelayMs: 1,
};

const s3 = mockClient(S3Client);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const keyOf = (location: string) => location.slice(BUCKET.length + 1);

/** An in-memory bucket of object tags whose reads and writes take as long as `delayOf` says. */
function fakeBucket(delayOf: (call: { op: 'get' | 'put'; key: string; n: number }) => number) {
  const tags = new Map<string, Tag[]>();
  const events: string[] = [];
  let inFlight = 0;
  let peak = 0;
  let n = 0;
  const timed = async <T>(op: 'get' | 'put', key: string, body: () => T): Promise<T> => {
    const call = { op, key, n: n++ };
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    try {
      await sleep(delayOf(call));
      return body();
    } finally {
      inFlight -= 1;
    }
  };
  s3.on(GetObjectTaggingCommand).callsFake((input: { Key: string }) =>
    timed('get', input.Key, () => {
      events.push(`get ${input.Key}`);
      return { TagSet: [...(tags.get(input.Key) ?? [])] };
    }),
  );
  s3.on(PutObjectTaggingCommand).callsFake((input: { Key: string; Tagging: { TagSet: Tag[] } }) =>
    timed('put', input.Key, () => {
      events.push(`put ${input.Key} ${input.Tagging.TagSet.map((t) => `${t.Key}=${t.Value}`).join(',')}`);
      tags.set(input.Key, input.Tagging.TagSet);
      return {};
    }),
  );
  return { tags, events, peak: () => peak };
}

let parked: FailureMessage[] = [];
let retried: Array<{ message: FailureMessage; delaySeconds: number }> = [];
const queues: FailureQueues = {
  retry: async (message, delaySeconds) => void retried.push({ message, delaySeconds }),
  park: async (message) => void parked.push(message),
};

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => {
  s3.reset();
  parked = [];
  retried = [];
});
afterAll(() => s3.restore());

const handlerOf = () =>
  createHandler({
    s3: new S3Client({ region: 'us-east-1' }),
    settings,
    queues,
    now: () => new Date('2026-11-23T12:00:00Z'),
  });
const classOf = (bucket: ReturnType<typeof fakeBucket>, location: string) =>
  bucket.tags.get(keyOf(location))?.find((t) => t.Key === 'retention')?.Value;

describe('records of one batch for the same contact', () => {
  test('run in stream order, so the newer CTR wins even when the older one reads more slowly', async () => {
    const location = recordingLocation(BUCKET, 'c-1');
    // The first read (the older CTR's) takes 40 ms, every other call 1 ms.
    const bucket = fakeBucket(({ n }) => (n === 0 ? 40 : 1));
    const event = kinesisEventOf([
      JSON.stringify(ctr('c-1', location, { retention: 'short' })),
      JSON.stringify(ctr('c-1', location, { retention: 'legal' })),
    ]);

    const result = await handlerOf()(event, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(classOf(bucket, location)).toBe('legal');
    expect(bucket.events).toEqual([
      `get ${keyOf(location)}`,
      `put ${keyOf(location)} retention=short`,
      `get ${keyOf(location)}`,
      `put ${keyOf(location)} retention=legal`,
    ]);
  });

  test('keep stream order across three CTRs and across a ContactId that names the same object', async () => {
    const location = recordingLocation(BUCKET, 'c-2');
    // Earlier records read more slowly than later ones.
    const bucket = fakeBucket(({ n }) => Math.max(1, 30 - n * 10));
    const event = kinesisEventOf([
      JSON.stringify(ctr('c-2', location, { retention: 'short' })),
      JSON.stringify(ctr('c-2', location, { retention: 'legal' })),
      // A transfer's CTR (another ContactId) naming the same recording, last in the stream.
      JSON.stringify(ctr('c-2-transfer', location, { retention: 'long' })),
    ]);

    const result = await handlerOf()(event, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(bucket.events.filter((e) => e.startsWith('put')).map((e) => e.split(' ')[2])).toEqual([
      'retention=short',
      'retention=legal',
      'retention=long',
    ]);
    expect(classOf(bucket, location)).toBe('long');
  });

  test('an older CTR that S3 refuses is parked with its CTR and the newer one still runs after it', async () => {
    const location = recordingLocation(BUCKET, 'c-3');
    const tags = new Map<string, Tag[]>();
    let reads = 0;
    s3.on(GetObjectTaggingCommand).callsFake(async () => {
      const read = ++reads;
      await sleep(read === 1 ? 30 : 1);
      if (read === 1) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      return { TagSet: [] };
    });
    s3.on(PutObjectTaggingCommand).callsFake((input: { Key: string; Tagging: { TagSet: Tag[] } }) => {
      tags.set(input.Key, input.Tagging.TagSet);
      return {};
    });
    const event = kinesisEventOf([
      JSON.stringify(ctr('c-3', location, { retention: 'short' })),
      JSON.stringify(ctr('c-3', location, { retention: 'legal' })),
    ]);

    const result = await handlerOf()(event, lambdaContext());

    // AccessDenied is not retried on the shard: the CTR is parked with its plan, the batch succeeds.
    expect(result.batchItemFailures).toEqual([]);
    expect(parked).toEqual([
      expect.objectContaining({
        reason: 'access-denied',
        detail: 'S3 answered AccessDenied: Access Denied',
        attempt: 0,
        firstFailedAt: '2026-11-23T12:00:00.000Z',
        ctr: expect.objectContaining({ ContactId: 'c-3', Attributes: { retention: 'short' } }),
        plan: {
          contactId: 'c-3',
          operations: [{ bucket: BUCKET, key: keyOf(location), tagKey: 'retention', value: 'short' }],
        },
        source: {
          streamArn: event.Records[0].eventSourceARN,
          shardId: 'shardId-000000000000',
          sequenceNumber: event.Records[0].kinesis.sequenceNumber,
        },
      }),
    ]);
    expect(tags.get(keyOf(location))).toEqual([{ Key: 'retention', Value: 'legal' }]);
  });
});

test('different contacts of one batch still run at the same time, up to the concurrency gate', async () => {
  const bucket = fakeBucket(() => 20);
  const contacts = Array.from({ length: 10 }, (_, i) => `c-many-${i}`);
  const event = kinesisEventOf(
    contacts.map((id) => JSON.stringify(ctr(id, recordingLocation(BUCKET, id), { retention: 'short' }))),
  );

  const result = await handlerOf()(event, lambdaContext());

  expect(result.batchItemFailures).toEqual([]);
  expect(bucket.peak()).toBe(settings.concurrency);
  for (const id of contacts) expect(classOf(bucket, recordingLocation(BUCKET, id))).toBe('short');
});

test('a record that is not a CTR is parked with its data without holding up the others', async () => {
  const location = recordingLocation(BUCKET, 'c-4');
  const bucket = fakeBucket(() => 1);
  const event = kinesisEventOf(['{"ContactId": ', JSON.stringify(ctr('c-4', location, { retention: 'short' }))]);

  const result = await handlerOf()(event, lambdaContext());

  expect(result.batchItemFailures).toEqual([]);
  expect(parked).toEqual([
    expect.objectContaining({
      reason: 'not-a-ctr',
      detail: 'The record is not JSON, so it is not a contact trace record.',
      data: '{"ContactId": ',
    }),
  ]);
  expect(parked[0]).not.toHaveProperty('ctr');
  expect(classOf(bucket, location)).toBe('short');
});

test('a throttled record still fails alone, for Kinesis to retry, and nothing is queued', async () => {
  const location = recordingLocation(BUCKET, 'c-5');
  s3.on(GetObjectTaggingCommand).rejects(
    Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $retryable: {} }),
  );
  const good = recordingLocation(BUCKET, 'c-5-good');
  s3.on(GetObjectTaggingCommand, { Key: keyOf(good) }).resolves({ TagSet: [] });
  s3.on(PutObjectTaggingCommand).resolves({});
  const event = kinesisEventOf([
    JSON.stringify(ctr('c-5', location, { retention: 'short' })),
    JSON.stringify(ctr('c-5-good', good, { retention: 'short' })),
  ]);

  const result = await handlerOf()(event, lambdaContext());

  expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].kinesis.sequenceNumber }]);
  expect(parked).toEqual([]);
  expect(retried).toEqual([]);
});

test('a recording still missing after the short wait goes to the retry queue with its CTR, and the batch succeeds', async () => {
  const location = recordingLocation(BUCKET, 'c-6');
  s3.on(GetObjectTaggingCommand).rejects(
    Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
  );
  const event = kinesisEventOf([JSON.stringify(ctr('c-6', location, { retention: 'short' }))]);

  const result = await handlerOf()(event, lambdaContext());

  expect(result.batchItemFailures).toEqual([]);
  expect(retried).toEqual([
    {
      delaySeconds: 60,
      message: expect.objectContaining({
        reason: 'recording-late',
        attempt: 1,
        detail: `The recording s3://${location} was still missing after 2 reads.`,
        ctr: expect.objectContaining({ ContactId: 'c-6' }),
      }),
    },
  ]);
  expect(s3.commandCalls(GetObjectTaggingCommand)).toHaveLength(2);
});

test('a recording Connect reports DELETED is skipped, not waited for', async () => {
  const bucket = fakeBucket(() => 1);
  const location = recordingLocation(BUCKET, 'c-7');
  const record = ctr('c-7', location, { retention: 'short' });
  record.Recording = { ...record.Recording, Status: 'DELETED', DeletionReason: 'Deleted by an administrator' };
  record.Recordings = [{ ...record.Recordings![0], Status: 'DELETED', DeletionReason: 'Deleted by an administrator' }];
  const info = jest.spyOn(logger, 'info');

  const result = await handlerOf()(kinesisEventOf([JSON.stringify(record)]), lambdaContext());

  expect(result.batchItemFailures).toEqual([]);
  expect(bucket.events).toEqual([]);
  expect(parked).toEqual([]);
  expect(retried).toEqual([]);
  expect(info).toHaveBeenCalledWith('Skipping recordings Connect reports DELETED', {
    contactId: 'c-7',
    locations: [location],
  });
});
