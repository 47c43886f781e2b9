import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { logger } from '../../lambda/shared/logger';
import { main, SPEC } from '../../scripts/ctr-backfill';
import { runCommand } from '../../scripts/lib/cli';
import { decompressed, jsonObjects } from '../../scripts/lib/ctr-archive';
import { ctr, recordingLocation } from '../fixtures/connect-ctr';
import { bufferedIo } from '../support/buffered-io';
import { S3Proxy, startS3Proxy } from '../support/s3-proxy';
import { LocalS3, startS3 } from '../support/s3rver';

const RECORDINGS = 'backfill-connect-recordings';
const ARCHIVE = 'backfill-ctr-archive';
const COUNT = 10_000;
const settings = {
  tagKey: 'retention',
  classes: ['short', 'long'],
  defaultClass: 'long',
  concurrency: 32,
  missingObjectAttempts: 1,
  missingObjectDelayMs: 1,
};

let s3: LocalS3;
let proxy: S3Proxy;
let client: S3Client;
let dir: string;
/** Tag reads and writes per object key, seen by the proxy in front of s3rver. */
const tagCalls = new Map<string, { get: number; put: number }>();

beforeAll(async () => {
  logger.setLogLevel('SILENT');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctr-backfill-'));
  s3 = await startS3([RECORDINGS, ARCHIVE]);
  proxy = await startS3Proxy(s3.endpoint, {
    observe: (method, p, kind) => {
      if (!kind.endsWith('?tagging')) return;
      const key = p.slice(`/${RECORDINGS}/`.length);
      const calls = tagCalls.get(key) ?? { get: 0, put: 0 };
      if (method === 'GET') calls.get += 1;
      else calls.put += 1;
      tagCalls.set(key, calls);
    },
  });
  client = new S3Client({ ...s3.clientConfig, endpoint: proxy.endpoint });
}, 60_000);

afterAll(async () => {
  client.destroy();
  await proxy.stop();
  await s3.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function* chunksOf(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size));
}

describe('reading CTR archives', () => {
  test('splits concatenated objects with nothing, newlines or spaces between them, keeping braces and quotes inside strings', async () => {
    const objects = [
      { ContactId: 'a', Attributes: { note: 'a } { " \\" brace' } },
      { ContactId: 'b', Recordings: [{ Location: 'x/y' }] },
      { ContactId: 'ü-€' },
    ];
    const text = `${JSON.stringify(objects[0])}${JSON.stringify(objects[1])}\n  ${JSON.stringify(objects[2])}\n`;
    for (const size of [1, 3, 7, 4096]) {
      const found: unknown[] = [];
      for await (const o of jsonObjects(decompressed(chunksOf(text, size)), 'f')) found.push(JSON.parse(o));
      expect(found).toEqual(objects);
    }
  });

  test('gunzips when the bytes start with gzip magic, several members included', async () => {
    const gz = Buffer.concat([zlib.gzipSync('{"ContactId":"a"}'), zlib.gzipSync('{"ContactId":"b"}')]);
    const found: string[] = [];
    for await (const o of jsonObjects(
      decompressed(
        (async function* () {
          yield gz;
        })(),
      ),
      'f.gz',
    ))
      found.push(o);
    expect(found).toEqual(['{"ContactId":"a"}', '{"ContactId":"b"}']);
  });

  test('says where text outside an object is, and when a file is cut short', async () => {
    const read = async (text: string) => {
      for await (const o of jsonObjects(decompressed(chunksOf(text, 5)), 'part-1')) void o;
    };
    await expect(read('{"a":1} x')).rejects.toThrow(
      "part-1 has 'x' at character 8 outside any JSON object; a CTR archive holds concatenated JSON objects.",
    );
    await expect(read('{"a":1}{"b":')).rejects.toThrow('part-1 ends inside a JSON object; the file is cut short.');
  });
});

test('--help exits 0', async () => {
  const out = bufferedIo();
  expect(
    await runCommand(
      SPEC,
      main(() => ({ s3: client })),
      ['--help'],
      out.io,
    ),
  ).toBe(0);
  expect(out.stdout()).toContain('usage: npm run ctr:backfill -- --env NAME (--from s3://BUCKET/PREFIX | --file PATH)');
});

test('--from and --file together are a usage error', async () => {
  const out = bufferedIo();
  expect(
    await runCommand(
      SPEC,
      main(() => ({ s3: client })),
      ['--env', 'sample', '--from', 's3://a-b/c', '--file', 'x'],
      out.io,
    ),
  ).toBe(2);
  expect(out.stderr()).toContain('error: Give exactly one of --from and --file.');
});

test('a gzip Firehose-style archive of 10,000 CTRs, stopped mid-way and resumed from its checkpoint, tags each recording once', async () => {
  // The recordings, and four gzip objects of 2,500 CTRs each: Firehose concatenates with no separator.
  const locations = Array.from({ length: COUNT }, (_, i) => recordingLocation(RECORDINGS, `bf-${i}`));
  const keyOf = (l: string) => l.slice(RECORDINGS.length + 1);
  for (let i = 0; i < COUNT; i += 100) {
    await Promise.all(
      locations
        .slice(i, i + 100)
        .map((l) => s3.client.send(new PutObjectCommand({ Bucket: RECORDINGS, Key: keyOf(l), Body: 'a' }))),
    );
  }
  for (let part = 0; part < 4; part++) {
    const ctrs = locations
      .slice(part * 2500, (part + 1) * 2500)
      .map((l, i) => JSON.stringify(ctr(`bf-${part * 2500 + i}`, l, { retention: i % 2 === 0 ? 'short' : 'long' })));
    await s3.client.send(
      new PutObjectCommand({
        Bucket: ARCHIVE,
        Key: `firehose/2026/11/23/12/ctr-stream-1-2026-11-23-12-0${part}-00-part${part}.gz`,
        Body: zlib.gzipSync(ctrs.join('')),
      }),
    );
  }
  const checkpoint = path.join(dir, 'checkpoint.json');
  const failures = path.join(dir, 'failed.jsonl');
  const args = [
    '--env',
    'sample',
    '--from',
    `s3://${ARCHIVE}/firehose/`,
    '--checkpoint',
    checkpoint,
    '--failures',
    failures,
    '--rate',
    '100000',
    '--json',
  ];
  const deps = () => ({ s3: client, settings });

  const first = bufferedIo();
  expect(await runCommand(SPEC, main(deps), [...args, '--limit', '4321'], first.io)).toBe(0);
  expect(JSON.parse(first.stdout())).toMatchObject({ tagged: 4321, failed: 0, stopped: true, resumedPast: 0 });
  expect(JSON.parse(fs.readFileSync(checkpoint, 'utf8'))).toEqual({
    version: 1,
    source: `s3://${ARCHIVE}/firehose/`,
    completedThrough: 'firehose/2026/11/23/12/ctr-stream-1-2026-11-23-12-00-00-part0.gz',
    inProgress: { object: 'firehose/2026/11/23/12/ctr-stream-1-2026-11-23-12-01-00-part1.gz', ctrs: 1821 },
  });

  const second = bufferedIo();
  expect(await runCommand(SPEC, main(deps), args, second.io)).toBe(0);
  expect(JSON.parse(second.stdout())).toMatchObject({
    tagged: COUNT - 4321,
    written: COUNT - 4321,
    failed: 0,
    stopped: false,
    resumedPast: 1821,
  });

  // Each recording read once and written once across both runs, with its CTR's class.
  expect(tagCalls.size).toBe(COUNT);
  expect([...tagCalls.values()].every((c) => c.get === 1 && c.put === 1)).toBe(true);
  expect(fs.existsSync(failures)).toBe(false);
}, 600_000);

test('--since skips older CTRs, and CTRs that cannot be tagged land in the failures file, ready to be passed back as --file', async () => {
  const old = {
    ...ctr('since-old', recordingLocation(RECORDINGS, 'since-old'), { retention: 'short' }),
    LastUpdateTimestamp: '2025-01-01T00:00:00Z',
  };
  const missing = ctr('since-missing', recordingLocation(RECORDINGS, 'since-missing'), { retention: 'short' });
  const file = path.join(dir, 'ctrs.json');
  fs.writeFileSync(file, `${JSON.stringify(old)}\n${JSON.stringify(missing)}\n`);
  const failures = path.join(dir, 'since-failed.jsonl');
  const out = bufferedIo();
  const code = await runCommand(
    SPEC,
    main(() => ({ s3: client, settings })),
    [
      '--env',
      'sample',
      '--file',
      file,
      '--since',
      '2026-01-01',
      '--checkpoint',
      path.join(dir, 'since.json'),
      '--failures',
      failures,
      '--json',
    ],
    out.io,
  );
  expect(code).toBe(1);
  expect(JSON.parse(out.stdout())).toMatchObject({ read: 2, skippedBySince: 1, tagged: 0, failed: 1 });
  expect(fs.readFileSync(failures, 'utf8')).toBe(`${JSON.stringify(missing)}\n`);
  expect(tagCalls.has('connect/test-instance/CallRecordings/2026/11/23/since-old_20261123T11:34_UTC.wav')).toBe(false);
});

test('--rate paces the CTRs started per second', async () => {
  const file = path.join(dir, 'rate.json');
  const locations = Array.from({ length: 5 }, (_, i) => recordingLocation(RECORDINGS, `rate-${i}`));
  await Promise.all(
    locations.map((l) =>
      s3.client.send(new PutObjectCommand({ Bucket: RECORDINGS, Key: l.slice(RECORDINGS.length + 1), Body: 'a' })),
    ),
  );
  fs.writeFileSync(file, locations.map((l, i) => JSON.stringify(ctr(`rate-${i}`, l))).join(''));
  let clock = 0;
  const waits: number[] = [];
  const deps = () => ({
    s3: client,
    settings,
    now: () => clock,
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
  });
  const out = bufferedIo();
  expect(
    await runCommand(
      SPEC,
      main(deps),
      [
        '--env',
        'sample',
        '--file',
        file,
        '--rate',
        '2',
        '--checkpoint',
        path.join(dir, 'rate-cp.json'),
        '--failures',
        path.join(dir, 'rate-failed.jsonl'),
      ],
      out.io,
    ),
  ).toBe(0);
  expect(waits).toEqual([500, 500, 500, 500]);
});
