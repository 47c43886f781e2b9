import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { namedQueries, namedQuery } from '../../lib/athena/named-queries';

/**
 * The named queries (lib/athena/search/) and the integrity SQL (lib/athena/pointer-integrity.sql)
 * run for real on DuckDB over fixture sidecars laid out as Genesys exports them and a one-day
 * S3 Inventory in Parquet. The SQL is the deployed text; only the tables differ:
 * - `recording_sidecars` is a view over read_json of the fixture tree: Athena's Glue table has the
 *   same columns (partition projection gives org/year/month/day/hour, `"$path"` the object key);
 * - `recording_inventory` is a view over the Parquet files, partitioned by dt like the Glue table;
 * - pointer-integrity.sql only: DuckDB lacks Trino's `regexp_like` (a one-line macro maps it to
 *   `regexp_matches`) and has another `date_add` signature (the test rewrites
 *   `date_add('day', N, x)` to `(x + INTERVAL (N) DAY)`).
 */
const ORG = '0e6f3a52-1c2d-4b5e-9f60-7a8b9c0d1e2f';
const PREFIX = 'recordings/';
const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const C3 = '33333333-3333-4333-8333-333333333333';
const AGENT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const AGENT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const QUEUE_SALES = 'q-sales-0000-4000-8000-000000000001';
const QUEUE_CLAIMS = 'q-claims-000-4000-8000-000000000002';

interface Fixture {
  readonly conversation: string;
  readonly start: [string, string, string, string];
  readonly recording: string;
  readonly sidecar?: Record<string, unknown>;
}

const FIXTURES: Fixture[] = [
  {
    conversation: C1,
    start: ['2026', '11', '21', '09'],
    recording: 'r1a',
    sidecar: {
      mediaType: 'Call',
      mediaSubtype: 'Trunk',
      provider: 'edge',
      userIds: [AGENT_A],
      queueIds: [QUEUE_SALES],
    },
  },
  {
    conversation: C1,
    start: ['2026', '11', '21', '09'],
    recording: 'r1b',
    sidecar: {
      mediaType: 'Screen',
      mediaSubtype: 'Screen',
      provider: 'edge',
      userIds: [AGENT_A],
      queueIds: [QUEUE_SALES],
    },
  },
  {
    conversation: C2,
    start: ['2026', '11', '22', '23'],
    recording: 'r2a',
    sidecar: {
      mediaType: 'Call',
      mediaSubtype: 'Trunk',
      provider: 'edge',
      userIds: [AGENT_A, AGENT_B],
      queueIds: [QUEUE_CLAIMS],
    },
  },
  // A recording Genesys exported without its sidecar.
  { conversation: C3, start: ['2026', '11', '23', '00'], recording: 'r3a' },
];

const keyOf = (f: Fixture, file: string) =>
  `${PREFIX}${ORG}/year=${f.start[0]}/month=${f.start[1]}/day=${f.start[2]}/hour=${f.start[3]}/conversation_id=${f.conversation}/${file}`;

let dir: string;
let db: DuckDBInstance;
let sql: DuckDBConnection;

async function rows(text: string, params: string[] = []): Promise<Record<string, unknown>[]> {
  const reader = await sql.runAndReadAll(text, params);
  return reader.getRowObjectsJson();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-sql-'));
  const root = path.join(dir, 'bucket');
  for (const f of FIXTURES) {
    const audio = path.join(root, keyOf(f, `${f.recording}.opus`));
    fs.mkdirSync(path.dirname(audio), { recursive: true });
    fs.writeFileSync(audio, Buffer.from([0x4f, 0x67, 0x67, 0x53, 0x00, 0xff]));
    if (f.sidecar)
      fs.writeFileSync(path.join(root, keyOf(f, `${f.recording}_metadata.json`)), JSON.stringify(f.sidecar));
  }
  db = await DuckDBInstance.create(':memory:');
  sql = await db.connect();
  // The Glue table's columns; "$path" is the S3 key as Athena reports it (s3://bucket/key).
  await sql.run(`
    CREATE VIEW recording_sidecars AS
    SELECT
      regexp_extract(filename, '/${PREFIX}([^/]+)/year=', 1) AS org,
      year, month, day, hour,
      mediaType AS mediatype, mediaSubtype AS mediasubtype, provider, userIds AS userids, queueIds AS queueids,
      's3://archive/' || substr(filename, ${root.length + 2}) AS "$path"
    FROM read_json('${root}/**/*_metadata.json',
      hive_partitioning = true, hive_types_autocast = false, filename = true,
      columns = {mediaType: 'VARCHAR', mediaSubtype: 'VARCHAR', provider: 'VARCHAR', userIds: 'VARCHAR[]', queueIds: 'VARCHAR[]'})`);

  // One inventory day in Parquet, as S3 Inventory delivers it (the columns of recording-inventory-table.sql).
  const inventoryDir = path.join(dir, 'inventory', 'dt=2026-11-24-01-00');
  fs.mkdirSync(inventoryDir, { recursive: true });
  const objects = FIXTURES.flatMap((f) => [
    [keyOf(f, `${f.recording}.opus`), 'SSE-KMS', '2026-11-24 00:00:00'],
    ...(f.sidecar ? [[keyOf(f, `${f.recording}_metadata.json`), 'SSE-KMS', '2026-11-24 00:00:00']] : []),
  ]);
  // A recording uploaded with SSE-S3, and one whose lifecycle expiration undercuts the 730-day window.
  objects.push([
    `${PREFIX}${ORG}/year=2026/month=11/day=23/hour=05/conversation_id=${C3}/r3b.opus`,
    'SSE-S3',
    '2026-11-24 00:00:00',
  ]);
  const values = objects
    .map(([key, enc], i) => {
      const expiry = i === 0 ? "TIMESTAMP '2027-01-01 00:00:00'" : "TIMESTAMP '2028-12-31 00:00:00'";
      return `('archive', '${key}', 'v${i}', true, false, 1000, TIMESTAMP '2026-11-22 10:00:00', 'etag', 'STANDARD', '${enc}', 'ENABLED', NULL, 'GOVERNANCE', 'OFF', ${expiry})`;
    })
    // The inventory holds every version: a noncurrent SSE-S3 version of a good recording and a deleted
    // recording (a delete marker over its version, no sidecar) are not what a reader gets today.
    .concat([
      `('archive', '${keyOf(FIXTURES[0], `${FIXTURES[0].recording}.opus`)}', 'old', false, false, 1000, TIMESTAMP '2026-11-20 10:00:00', 'etag', 'STANDARD', 'SSE-S3', 'ENABLED', NULL, 'GOVERNANCE', 'OFF', NULL)`,
      `('archive', '${PREFIX}${ORG}/year=2026/month=11/day=23/hour=06/conversation_id=${C3}/gone.opus', 'dm', true, true, NULL, TIMESTAMP '2026-11-23 10:00:00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      `('archive', '${PREFIX}${ORG}/year=2026/month=11/day=23/hour=06/conversation_id=${C3}/gone.opus', 'g1', false, false, 1000, TIMESTAMP '2026-11-23 06:00:00', 'etag', 'STANDARD', 'SSE-KMS', 'ENABLED', NULL, 'GOVERNANCE', 'OFF', NULL)`,
    ])
    .join(',\n');
  await sql.run(`
    COPY (SELECT * FROM (VALUES ${values}) AS t(bucket, key, version_id, is_latest, is_delete_marker, size,
      last_modified_date, e_tag, storage_class, encryption_status, bucket_key_status, object_lock_retain_until_date,
      object_lock_mode, object_lock_legal_hold_status, lifecycle_expiration_date))
    TO '${path.join(inventoryDir, 'part-0.parquet')}' (FORMAT parquet)`);
  await sql.run(`
    CREATE VIEW recording_inventory AS
    SELECT * FROM read_parquet('${path.join(dir, 'inventory')}/*/*.parquet', hive_partitioning = true, hive_types_autocast = false)`);
});

afterAll(() => {
  sql?.closeSync();
  db?.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every named query names as many parameters as it has placeholders', () => {
  expect(namedQueries().map((q) => [q.name, q.params])).toEqual([
    ['by-conversation', ['conversation_id']],
    ['by-agent', ['user_id', 'from_day', 'to_day']],
    ['by-queue', ['queue_id', 'from_day', 'to_day']],
    ['by-date-range', ['from_day', 'to_day']],
    ['calls-in-range', ['from_day', 'to_day', 'queue_id', 'user_id']],
    ['recordings-without-sidecar', ['dt']],
  ]);
});

test('by-conversation returns each sidecar of the conversation with its partition and recording id', async () => {
  const result = await rows(namedQuery('by-conversation').sql, [C1]);
  expect(
    result.map((r) => [r.org, r.year, r.month, r.day, r.hour, r.conversation_id, r.recording_id, r.mediatype]),
  ).toEqual([
    [ORG, '2026', '11', '21', '09', C1, 'r1a', 'Call'],
    [ORG, '2026', '11', '21', '09', C1, 'r1b', 'Screen'],
  ]);
  expect(result[0].sidecar).toBe(`s3://archive/${keyOf(FIXTURES[0], 'r1a_metadata.json')}`);
  expect(await rows(namedQuery('by-conversation').sql, [C3])).toEqual([]);
});

test('by-agent finds every recording the agent took part in, inside the day range only', async () => {
  const q = namedQuery('by-agent').sql;
  expect((await rows(q, [AGENT_A, '2026-11-01', '2026-11-30'])).map((r) => r.recording_id)).toEqual([
    'r1a',
    'r1b',
    'r2a',
  ]);
  expect((await rows(q, [AGENT_A, '2026-11-22', '2026-11-22'])).map((r) => r.recording_id)).toEqual(['r2a']);
  expect((await rows(q, [AGENT_B, '2026-11-01', '2026-11-21'])).map((r) => r.recording_id)).toEqual([]);
});

test('by-queue finds the recordings routed through the queue', async () => {
  const q = namedQuery('by-queue').sql;
  expect(
    (await rows(q, [QUEUE_CLAIMS, '2026-11-01', '2026-11-30'])).map((r) => [r.conversation_id, r.recording_id]),
  ).toEqual([[C2, 'r2a']]);
  expect((await rows(q, [QUEUE_SALES, '2026-11-01', '2026-11-30'])).map((r) => r.recording_id)).toEqual(['r1a', 'r1b']);
});

test('by-date-range counts the recordings of each conversation that began in the range', async () => {
  const result = await rows(namedQuery('by-date-range').sql, ['2026-11-21', '2026-11-22']);
  expect(result.map((r) => [r.day, r.hour, r.conversation_id, r.recordings])).toEqual([
    ['21', '09', C1, '2'],
    ['22', '23', C2, '1'],
  ]);
});

test('calls-in-range lists the conversations of the days, narrowed by queue and/or agent where given', async () => {
  const q = namedQuery('calls-in-range').sql;
  const calls = async (params: string[]) =>
    (await rows(q, params)).map((r) => [r.org, r.year, r.month, r.day, r.hour, r.conversation_id, r.recordings]);
  // Empty queue and agent match any: every conversation of the range (C3 has no sidecar, so no row).
  expect(await calls(['2026-11-21', '2026-11-30', '', ''])).toEqual([
    [ORG, '2026', '11', '21', '09', C1, '2'],
    [ORG, '2026', '11', '22', '23', C2, '1'],
  ]);
  expect(await calls(['2026-11-22', '2026-11-22', '', ''])).toEqual([[ORG, '2026', '11', '22', '23', C2, '1']]);
  expect((await calls(['2026-11-01', '2026-11-30', QUEUE_SALES, ''])).map((r) => r[5])).toEqual([C1]);
  expect((await calls(['2026-11-01', '2026-11-30', '', AGENT_B])).map((r) => r[5])).toEqual([C2]);
  // Both: the queue and the agent must both match.
  expect((await calls(['2026-11-01', '2026-11-30', QUEUE_CLAIMS, AGENT_A])).map((r) => r[5])).toEqual([C2]);
  expect(await calls(['2026-11-01', '2026-11-30', QUEUE_SALES, AGENT_B])).toEqual([]);
  // A quote in an id is data, not SQL.
  expect(await calls(['2026-11-01', '2026-11-30', "x' OR '1'='1", ''])).toEqual([]);
});

test('recordings-without-sidecar lists the recordings the inventory holds without a sidecar', async () => {
  const result = await rows(namedQuery('recordings-without-sidecar').sql, ['2026-11-24-01-00']);
  expect(result.map((r) => [r.conversation_id, r.recording_id])).toEqual([
    [C3, 'r3a'],
    [C3, 'r3b'],
  ]);
  expect(await rows(namedQuery('recordings-without-sidecar').sql, ['2026-11-25-01-00'])).toEqual([]);
});

test('the pointer-integrity SQL finds the missing sidecar, the SSE-S3 upload and the early expiration', async () => {
  await sql.run('CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
  const text = fs
    .readFileSync(path.join(__dirname, '..', '..', 'lib', 'athena', 'pointer-integrity.sql'), 'utf8')
    .replaceAll('{{dt}}', '2026-11-24-01-00')
    .replaceAll('{{recordings_prefix}}', PREFIX)
    .replaceAll('{{org_id}}', ORG)
    .replaceAll('{{platform_retention_days}}', '730')
    .replace(/date_add\('day', (\d+), (\w+)\)/g, '($2 + INTERVAL ($1) DAY)');
  const result = await rows(text);
  expect(result.map((r) => [r.finding, String(r.key).split('/').pop()])).toEqual([
    ['ExpiresBeforePlatformWindow', 'r1a.opus'],
    ['NotEncryptedWithArchiveKey', 'r3b.opus'],
    ['RecordingWithoutSidecar', 'r3a.opus'],
    ['RecordingWithoutSidecar', 'r3b.opus'],
  ]);
});
