import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mockClient } from 'aws-sdk-client-mock';
import { batches, readCtrLines, replay } from '../../scripts/ctr-replay';
import { ctr } from '../fixtures/connect-ctr';
import { LocalKinesis, startKinesis } from '../support/kinesalite';

let kinesis: LocalKinesis;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctr-replay-'));

beforeAll(async () => {
  kinesis = await startKinesis();
});

afterAll(async () => {
  await kinesis.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function createStream(name: string, shards = 1) {
  await kinesis.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (;;) {
    const { StreamDescription } = await kinesis.client.send(new DescribeStreamCommand({ StreamName: name }));
    if (StreamDescription?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function readAll(name: string): Promise<string[]> {
  const { ShardIterator } = await kinesis.client.send(
    new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const out: string[] = [];
  let iterator = ShardIterator;
  while (iterator) {
    const page = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
    out.push(...(page.Records ?? []).map((r) => Buffer.from(r.Data ?? new Uint8Array()).toString('utf8')));
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return out;
}

function writeFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('puts 1,201 CTR lines on kinesalite in three calls, in order', async () => {
  await createStream('replay-order');
  const lines = Array.from({ length: 1201 }, (_, i) => JSON.stringify(ctr(`c-${i}`, `bucket-a/rec/${i}:x.wav`)));
  const entries = await readCtrLines(writeFile('ctrs.jsonl', [...lines.slice(0, 600), '', ...lines.slice(600)]));
  const result = await replay(kinesis.client, 'replay-order', entries);
  expect(result).toEqual({ records: 1201, calls: 3, retried: 0 });
  expect(await readAll('replay-order')).toEqual(lines);
});

test('the CLI puts a file on a stream given by --endpoint', async () => {
  await createStream('replay-cli');
  const file = writeFile('cli.jsonl', [JSON.stringify(ctr('c-cli', 'bucket-a/k.wav'))]);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', '..', 'scripts', 'ctr-replay.ts'), '--stream', 'replay-cli', '--file', file, '--endpoint', kinesis.endpoint, '--region', 'us-east-1'],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  expect(stdout).toBe('1 CTRs put on replay-cli in 1 PutRecords calls (0 entries resent)\n');
  expect(await readAll('replay-cli')).toHaveLength(1);
});

test('refuses a file with a line that is not a CTR, naming the line', async () => {
  const file = writeFile('bad.jsonl', [JSON.stringify(ctr('c-1', 'b/k')), 'not json']);
  await expect(readCtrLines(file)).rejects.toThrow(`Line 2 of ${file}: The record is not JSON, so it is not a contact trace record.`);
});

test('resends only the entries Kinesis refused', async () => {
  const mock = mockClient(KinesisClient);
  mock
    .on(PutRecordsCommand)
    .resolvesOnce({ FailedRecordCount: 1, Records: [{ SequenceNumber: '1' }, { ErrorCode: 'ProvisionedThroughputExceededException' }, { SequenceNumber: '3' }] })
    .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '4' }] });
  const entries = ['a', 'b', 'c'].map((id) => ({ Data: Buffer.from(id), PartitionKey: id }));
  const result = await replay(new KinesisClient({ region: 'us-east-1' }), 'arn:aws:kinesis:us-east-1:1:stream/s', entries, { retryDelayMs: 1 });
  expect(result).toEqual({ records: 3, calls: 2, retried: 1 });
  const second = mock.commandCalls(PutRecordsCommand)[1].args[0].input;
  expect(second.StreamARN).toBe('arn:aws:kinesis:us-east-1:1:stream/s');
  expect(second.Records?.map((r) => r.PartitionKey)).toEqual(['b']);
  mock.restore();
});

test('gives up after the last attempt with one sentence', async () => {
  const mock = mockClient(KinesisClient);
  mock.on(PutRecordsCommand).resolves({ FailedRecordCount: 1, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException' }] });
  await expect(
    replay(new KinesisClient({ region: 'us-east-1' }), 's', [{ Data: Buffer.from('a'), PartitionKey: 'a' }], { maxAttempts: 2, retryDelayMs: 1 }),
  ).rejects.toThrow('Kinesis refused 1 records 2 times (last error ProvisionedThroughputExceededException); nothing after them was sent.');
  mock.restore();
});

test('splits at 500 records and at 5 MiB', () => {
  const small = Array.from({ length: 1001 }, () => ({ Data: Buffer.from('x'), PartitionKey: 'p' }));
  expect(batches(small).map((b) => b.length)).toEqual([500, 500, 1]);
  const big = Array.from({ length: 6 }, () => ({ Data: Buffer.alloc(1024 * 1024), PartitionKey: 'p' }));
  expect(batches(big).map((b) => b.length)).toEqual([4, 2]);
});
