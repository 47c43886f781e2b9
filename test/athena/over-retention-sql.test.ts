import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * lib/athena/over-retention.sql runs for real on DuckDB over a one-day S3 Inventory of every
 * version in Parquet (the columns of recording-inventory-table.sql, version columns included).
 * The text is the deployed one, placeholders filled, nothing rewritten: it keeps to the SQL that
 * Athena (Trino) and DuckDB both accept.
 */
const PREFIX = 'recordings/';
const folder = `${PREFIX}org/year=2026/month=10/day=20/hour=10/conversation_id=c1/`;

let dir: string;
let db: DuckDBInstance;
let sql: DuckDBConnection;

type Row = [key: string, version: string, latest: boolean, marker: boolean, modified: string, s3Expiration?: string];
// Judged on 2026-11-24 with a 30-day window and 5 noncurrent days (+2 days of grace each).
const ROWS: Row[] = [
  // Written 2026-10-20 10:00: due on 11-20 (rounded up to midnight), past 11-22: reported.
  [`${folder}kept.opus`, 'k1', true, false, '2026-10-20 10:00:00'],
  // Written at midnight 10-23: due on 11-22, past its grace only after 11-24 00:00: not reported.
  [`${folder}edge.opus`, 'e1', true, false, '2026-10-23 00:00:00'],
  // Rewritten on 11-10: the older version is noncurrent since then, due 11-16, past 11-18: reported.
  [`${folder}rewritten.opus`, 'r2', true, false, '2026-11-10 09:00:00'],
  [`${folder}rewritten.opus`, 'r1', false, false, '2026-09-01 09:00:00'],
  // Deleted on 11-20: its version is noncurrent within its days: not reported; the marker never is.
  [`${folder}recent-delete.opus`, 'dm', true, true, '2026-11-20 10:00:00'],
  [`${folder}recent-delete.opus`, 'd1', false, false, '2026-08-01 10:00:00'],
  // Deleted on 11-01: its version is past its noncurrent days: reported.
  [`${folder}old-delete.opus`, 'om', true, true, '2026-11-01 10:00:00'],
  [`${folder}old-delete.opus`, 'o1', false, false, '2026-08-01 10:00:00'],
  // Within the window, but S3's own expiration date (a tag-filtered rule) was 11-21: reported.
  [`${folder}tagged.opus`, 't1', true, false, '2026-11-20 10:00:00', '2026-11-21 00:00:00'],
  // Within the window and before S3's date + grace: not reported.
  [`${folder}fresh.opus`, 'f1', true, false, '2026-11-20 10:00:00', '2026-12-20 00:00:00'],
  // Outside the recordings prefix: not this query's.
  ['reports/old.json', 'x1', true, false, '2025-01-01 00:00:00'],
];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'over-retention-sql-'));
  db = await DuckDBInstance.create(':memory:');
  sql = await db.connect();
  const inventoryDir = path.join(dir, 'inventory', 'dt=2026-11-24-01-00');
  fs.mkdirSync(inventoryDir, { recursive: true });
  const ts = (v?: string) => (v === undefined ? 'NULL::TIMESTAMP' : `TIMESTAMP '${v}'`);
  const values = ROWS.map(
    ([key, version, latest, marker, modified, expiration]) =>
      `('archive', '${key}', '${version}', ${latest}, ${marker}, ${marker ? 'NULL' : 1000}, ${ts(modified)}, 'etag', 'DEEP_ARCHIVE', 'SSE-KMS', 'ENABLED', NULL::TIMESTAMP, 'COMPLIANCE', 'OFF', ${ts(expiration)})`,
  ).join(',\n');
  await sql.run(`
    COPY (SELECT * FROM (VALUES ${values}) AS t(bucket, key, version_id, is_latest, is_delete_marker, size,
      last_modified_date, e_tag, storage_class, encryption_status, bucket_key_status,
      object_lock_retain_until_date, object_lock_mode, object_lock_legal_hold_status, lifecycle_expiration_date))
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

function query(asOf: string): string {
  return fs
    .readFileSync(path.join(__dirname, '..', '..', 'lib', 'athena', 'over-retention.sql'), 'utf8')
    .replaceAll('{{dt}}', '2026-11-24-01-00')
    .replaceAll('{{recordings_prefix}}', PREFIX)
    .replaceAll('{{as_of}}', asOf)
    .replaceAll('{{window_days}}', '30')
    .replaceAll('{{noncurrent_days}}', '5');
}

test('the over-retention SQL finds the versions past their day, and none within it', async () => {
  const reader = await sql.runAndReadAll(query('2026-11-24'));
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  expect(rows.map((r) => [r.finding, String(r.key).split('/').pop(), r.version_id])).toEqual([
    ['NoncurrentPastDay', 'old-delete.opus', 'o1'],
    ['NoncurrentPastDay', 'rewritten.opus', 'r1'],
    ['RetainedPastDay', 'kept.opus', 'k1'],
    ['RetainedPastDay', 'tagged.opus', 't1'],
  ]);
  expect(rows.find((r) => r.version_id === 'k1')!.detail).toBe(
    "current version written 2026-10-20, due by the 30-day window or S3's expiration date (none), still there",
  );
  expect(rows.find((r) => r.version_id === 'r1')!.detail).toBe(
    'noncurrent since 2026-11-10, due after 5 noncurrent days, still there',
  );
});

test('a day later, the version written at midnight is past its day too', async () => {
  const reader = await sql.runAndReadAll(query('2026-11-25'));
  const keys = (reader.getRowObjectsJson() as Record<string, unknown>[]).map((r) => r.version_id);
  expect(keys).toContain('e1');
  expect(keys).not.toContain('d1');
});
