import { costProjection, CostProjection } from '../../lib/cost/projection';
import { priceTable } from '../../lib/cost/prices';
import type { TimelineRow } from '../../lib/retention/timeline';

// Hand-computed with the committed us-east-1 table: STANDARD 0.023, STANDARD_IA 0.0125,
// GLACIER 0.0036, DEEP_ARCHIVE 0.00099 $/GB-month; transitions into IA 0.01, GLACIER 0.03,
// DEEP_ARCHIVE 0.05 $/1,000; PUT 0.005 $/1,000; KMS 0.03 $/10,000 and 1 $/key-month;
// inventory 0.0025 $/million objects; transfer to another region 0.02 $/GB. A month is 30 days.

const genesysArchive: TimelineRow = {
  source: 'genesys',
  copy: 'archive',
  bucket: 'archive',
  standardIaDay: 30,
  glacierDay: 90,
  deepArchiveDay: 180,
  deleteMarkerDay: 730,
  bytesGoneDay: 731,
  notes: [],
};

function line(p: CostProjection, category: string, storageClass?: string): number {
  return p.lines
    .filter((l) => l.category === category && (storageClass === undefined || l.storageClass === storageClass))
    .reduce((a, l) => a + l.monthlyUsd, 0);
}

describe('costProjection', () => {
  test('Genesys exports kept 730 days: every figure by hand', () => {
    // 1,000 recordings a day of 10.24 MB = 0.01 GB each; 30,000 a month. Each also has a 4 KB sidecar.
    const p = costProjection({ rows: [genesysArchive], recordingsPerDay: 1000, averageMb: 10.24, region: 'us-east-1' });
    // Recordings: STANDARD days 0-30, STANDARD_IA 30-90, GLACIER 90-180, DEEP_ARCHIVE 180-731 (one noncurrent day).
    // Stock in a class = 1,000/day x days x 0.01 GB. STANDARD: 300 GB x 0.023 = 6.90;
    // sidecars stay in STANDARD (under 128 KB) for 731 days: 731,000 x 4 KB = 2.7885437 GB x 0.023 = 0.0641365.
    expect(line(p, 'storage', 'STANDARD')).toBeCloseTo(6.9641365, 6);
    expect(line(p, 'storage', 'STANDARD_IA')).toBeCloseTo(7.5, 9); // 600 GB x 0.0125
    expect(line(p, 'storage', 'GLACIER')).toBeCloseTo(3.24, 9); // 900 GB x 0.0036
    expect(line(p, 'storage', 'DEEP_ARCHIVE')).toBeCloseTo(5.4549, 9); // 5,510 GB x 0.00099
    // Overhead: 90,000 objects in GLACIER x (32 KB x 0.0036 + 8 KB x 0.023) = 26,928 KB-$ / 1,048,576 = 0.0256805;
    // 551,000 in DEEP_ARCHIVE x (32 x 0.00099 + 8 x 0.023) = 118,839.68 / 1,048,576 = 0.1133343.
    expect(line(p, 'archive-overhead')).toBeCloseTo(0.1390149, 6);
    expect(line(p, 'transitions')).toBeCloseTo(2.7, 9); // 30,000 x (0.01 + 0.03 + 0.05) / 1,000
    expect(line(p, 'early-deletion')).toBe(0); // 60 days in IA, 90 in GLACIER, 551 in DEEP_ARCHIVE: all minimums met
    expect(line(p, 'writes')).toBeCloseTo(0.3, 9); // 60,000 PUTs (recording + sidecar) x 0.005 / 1,000
    expect(line(p, 'kms')).toBeCloseTo(2.0018, 9); // 60,000 x 0.01 requests x 0.03 / 10,000 + 2 keys x 1
    expect(line(p, 'inventory')).toBeCloseTo(0.10965, 9); // 1,462,000 objects x 30 days / 1e6 x 0.0025
    expect(p.totalMonthlyUsd).toBeCloseTo(28.4095014, 5);
    expect(p.byStorageClass.map((c) => [c.storageClass, Number(c.gb.toFixed(4))])).toEqual([
      ['STANDARD', 302.7885],
      ['STANDARD_IA', 600],
      ['GLACIER', 900],
      ['DEEP_ARCHIVE', 5510],
    ]);
    expect(p.byLabel.map((l) => l.label)).toEqual(['genesys', 'all']);
    expect(p.warnings).toEqual([]);
    expect(p.priceTables.map((t) => [t.region, t.checkedAt])).toEqual([['us-east-1', '2025-06-01']]);
  });

  test('a short class of small recordings: the STANDARD_IA transition is flagged with the cheaper alternative', () => {
    // Class "short": delete marker on day 45, bytes gone on day 46; 0.5 MB = 512 KB = 0.00048828125 GB recordings.
    const short: TimelineRow = {
      source: 'connect',
      retentionClass: 'short',
      copy: 'archive',
      bucket: 'archive',
      standardIaDay: 30,
      glacierDay: 90,
      deleteMarkerDay: 45,
      bytesGoneDay: 46,
      notes: [],
    };
    const p = costProjection({ rows: [short], recordingsPerDay: 1000, averageMb: 0.5, region: 'us-east-1' });
    // GLACIER on day 90 comes after the delete marker, so it never happens.
    // With IA, per recording: 30 days STANDARD + 16 days IA + the 14 IA days short of its 30-day minimum
    // = 0.00048828125 x (0.023 + 0.0125) + 0.01/1,000 transition = 0.0000173340 + 0.00001 = 0.0000273340.
    // Staying in STANDARD for 46 days: 0.00048828125 x 0.023 x 46/30 = 0.0000172201.
    // The transition costs 0.0000101139 more per recording: 30,000 a month -> 0.3034180.
    expect(p.warnings).toHaveLength(1);
    const [w] = p.warnings;
    expect(w.storageClass).toBe('STANDARD_IA');
    expect(w.day).toBe(30);
    expect(w.per1000WithUsd).toBeCloseTo(0.027334, 6);
    expect(w.per1000WithoutUsd).toBeCloseTo(0.0172201, 6);
    expect(w.monthlySavingUsd).toBeCloseTo(0.303418, 5);
    expect(w.message).toBe(
      'short on the archive copy: the transition to STANDARD_IA on day 30 costs more than it saves for 0.5 MB recordings ($0.027 per 1,000 recordings over their life with it, $0.017 without); keeping them in STANDARD until day 46 is cheaper by $0.30 a month (move the transition later, or give it an object-size filter).',
    );
    // The early deletion is billed: 30,000 x 0.00048828125 x 0.0125 x 14/30 = 0.0854492.
    expect(line(p, 'early-deletion')).toBeCloseTo(0.0854492, 6);
    // Tagging: one GetObjectTagging and one PutObjectTagging per recording: 30,000 x (0.0004 + 0.005) / 1,000.
    expect(line(p, 'tagging')).toBeCloseTo(0.162, 9);
  });

  test('a large recording kept as long passes the same transition unflagged', () => {
    const long: TimelineRow = {
      source: 'connect',
      retentionClass: 'long',
      copy: 'archive',
      bucket: 'archive',
      standardIaDay: 30,
      deleteMarkerDay: 90,
      bytesGoneDay: 91,
      notes: [],
    };
    expect(
      costProjection({ rows: [long], recordingsPerDay: 1000, averageMb: 5, region: 'us-east-1' }).warnings,
    ).toEqual([]);
  });

  test('a replica copy is billed at the replica region with the transfer from the archive region', () => {
    const replica: TimelineRow = { ...genesysArchive, copy: 'replica', bucket: 'replica' };
    const p = costProjection({
      rows: [genesysArchive, replica],
      recordingsPerDay: 1000,
      averageMb: 10.24,
      region: 'us-east-1',
      replicaRegion: 'us-west-2',
    });
    // 30,000 recordings x 0.01 GB x 0.02 $/GB (sidecars are not counted in the transfer).
    expect(p.lines.filter((l) => l.category === 'replication-transfer').map((l) => l.monthlyUsd)).toEqual([
      expect.closeTo(6, 9),
    ]);
    const replicaStorage = p.lines
      .filter((l) => l.copy === 'replica' && l.category === 'storage')
      .reduce((a, l) => a + l.monthlyUsd, 0);
    expect(replicaStorage).toBeCloseTo(6.9641365 + 7.5 + 3.24 + 5.4549, 6);
    expect(p.priceTables.map((t) => t.region)).toEqual(['us-east-1', 'us-west-2']);
  });

  test('shares split the recordings; default is an even split over the sources of the timeline', () => {
    const long: TimelineRow = {
      source: 'connect',
      retentionClass: 'long',
      copy: 'archive',
      bucket: 'archive',
      standardIaDay: 30,
      deleteMarkerDay: 90,
      bytesGoneDay: 91,
      notes: [],
    };
    const even = costProjection({
      rows: [genesysArchive, long],
      recordingsPerDay: 1000,
      averageMb: 10.24,
      region: 'us-east-1',
    });
    expect(even.shares).toEqual({ genesys: 0.5, long: 0.5 });
    // Untagged Connect recordings are the exception: none unless a share is given.
    const untagged: TimelineRow = { ...long, retentionClass: undefined, untagged: true };
    expect(
      costProjection({
        rows: [genesysArchive, long, untagged],
        recordingsPerDay: 1000,
        averageMb: 1,
        region: 'us-east-1',
      }).shares,
    ).toEqual({ genesys: 0.5, long: 0.5 });
    // Half the recordings: half of 6.90 in STANDARD for Genesys recordings.
    const genesysStandard = even.lines
      .filter((l) => l.label === 'genesys' && l.storageClass === 'STANDARD')
      .reduce((a, l) => a + l.monthlyUsd, 0);
    expect(genesysStandard).toBeCloseTo(3.45 + 0.0641365 / 2, 6);
    expect(() =>
      costProjection({
        rows: [genesysArchive, long],
        recordingsPerDay: 1000,
        averageMb: 1,
        region: 'us-east-1',
        shares: { genesys: 0.5, short: 0.5 },
      }),
    ).toThrow('--share short: no recordings of that source or class in this environment; use one of: genesys, long.');
    expect(() =>
      costProjection({
        rows: [genesysArchive, long],
        recordingsPerDay: 1000,
        averageMb: 1,
        region: 'us-east-1',
        shares: { genesys: 0.5, long: 0.4 },
      }),
    ).toThrow('The shares add up to 0.9; give fractions that add up to 1 (e.g. --share genesys=0.5 --share long=0.5).');
  });

  test('a region without a committed price table names the file to add', () => {
    expect(() => priceTable('eu-west-3')).toThrow(
      'No price table is committed for eu-west-3; add lib/cost/prices/eu-west-3.json (copy us-east-1.json and enter the prices of https://aws.amazon.com/s3/pricing/ for eu-west-3) and list it in lib/cost/prices.ts, or pass --region with one of: us-east-1, us-west-2.',
    );
  });
});
