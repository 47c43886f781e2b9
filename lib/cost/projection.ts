import type { CopyName, TimelineRow } from '../retention/timeline';
import { PriceTable, priceTable, StorageClassName } from './prices';

/** Days in a billing month of the projection (S3 prorates GB-months by the hour; 30 keeps figures checkable). */
export const DAYS_PER_MONTH = 30;
/** S3 bills binary gigabytes. */
const KB_PER_GB = 1024 * 1024;

/** Minimum storage duration S3 bills for each class: leaving a class earlier bills the rest. */
export const MINIMUM_STORAGE_DAYS: Readonly<Record<StorageClassName, number>> = {
  STANDARD: 0,
  STANDARD_IA: 30,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};
/** STANDARD_IA bills every object as at least 128 KB. */
export const STANDARD_IA_MINIMUM_BILLABLE_KB = 128;
/** S3's lifecycle default (since September 2024): objects smaller than 128 KB are not transitioned. */
export const LIFECYCLE_MINIMUM_TRANSITION_KB = 128;
/** GLACIER and DEEP_ARCHIVE add 8 KB billed at STANDARD and 32 KB billed at their own price per object. */
export const ARCHIVE_OVERHEAD_KB = { standard: 8, ownClass: 32 } as const;
/**
 * KMS requests per object written with S3 Bucket Keys on. An assumption: AWS documents "up to 99%"
 * fewer requests (a bucket-level key is reused for a time-limited period), so 1 request per 100 objects.
 */
export const KMS_REQUESTS_PER_OBJECT_WITH_BUCKET_KEY = 0.01;
/** Size of a Genesys `_metadata.json` sidecar. An assumption: Genesys does not document it. */
export const GENESYS_SIDECAR_KB = 4;
/** Customer managed keys of the archive stack billed per month (archive key, operations key). */
export const CUSTOMER_MANAGED_KEYS = 2;

/** What the projection is computed from. */
export interface CostInput {
  /** The environment's retention timeline: one row per source or class and copy. */
  readonly rows: readonly TimelineRow[];
  readonly recordingsPerDay: number;
  /** Average size of one recording, in MB (1 MB = 1,024 KB). */
  readonly averageMb: number;
  /**
   * Fraction of the recordings per source: `genesys` or a Connect retention class name; fractions add up to 1.
   * @default - an even split over Genesys (when it has rows) and every Connect class; no untagged recordings
   */
  readonly shares?: Readonly<Record<string, number>>;
  /** Region of the archive bucket (and of Connect's bucket). */
  readonly region: string;
  /**
   * Region of the replica bucket.
   * @default - no replica rows expected
   */
  readonly replicaRegion?: string;
  /**
   * Price lookup.
   * @default the committed tables of lib/cost/prices
   */
  readonly prices?: (region: string) => PriceTable;
}

export type CostCategory =
  | 'storage'
  | 'archive-overhead'
  | 'transitions'
  | 'early-deletion'
  | 'writes'
  | 'tagging'
  | 'kms'
  | 'replication-transfer'
  | 'inventory';

/** One monthly charge of one source/class on one copy. */
export interface CostLine {
  readonly category: CostCategory;
  /** `genesys`, a Connect retention class, or `all` for environment-wide charges. */
  readonly label: string;
  readonly copy: CopyName;
  readonly storageClass?: StorageClassName;
  readonly monthlyUsd: number;
}

/** A transition that costs more than it saves, with the cheaper alternative. */
export interface TransitionWarning {
  readonly label: string;
  readonly copy: CopyName;
  readonly storageClass: StorageClassName;
  readonly day: number;
  /** Lifetime cost of 1,000 recordings with the transition and without it (kept in the previous class). */
  readonly per1000WithUsd: number;
  readonly per1000WithoutUsd: number;
  readonly monthlySavingUsd: number;
  readonly message: string;
}

/** The steady-state monthly cost of an environment: every class full, as many recordings leaving as arriving. */
export interface CostProjection {
  readonly recordingsPerDay: number;
  readonly averageMb: number;
  readonly shares: Readonly<Record<string, number>>;
  readonly lines: readonly CostLine[];
  readonly byStorageClass: readonly {
    readonly storageClass: StorageClassName;
    readonly gb: number;
    readonly monthlyUsd: number;
  }[];
  readonly byLabel: readonly { readonly label: string; readonly monthlyUsd: number }[];
  readonly byCategory: readonly { readonly category: CostCategory; readonly monthlyUsd: number }[];
  readonly totalMonthlyUsd: number;
  readonly warnings: readonly TransitionWarning[];
  readonly assumptions: readonly string[];
  readonly priceTables: readonly PriceTable[];
}

/** A span of an object's life in one storage class. */
interface Stage {
  readonly storageClass: StorageClassName;
  readonly from: number;
  readonly to: number;
}

const STORAGE_CLASSES: readonly StorageClassName[] = ['STANDARD', 'STANDARD_IA', 'GLACIER', 'DEEP_ARCHIVE'];

/** The source/class a row's recordings belong to: `genesys`, the Connect class, or `untagged`. */
export function shareKey(row: TimelineRow): string {
  return row.source === 'genesys' ? 'genesys' : (row.retentionClass ?? 'untagged');
}

/**
 * The storage classes one object passes through: transitions on or after the delete marker never
 * happen (lifecycle transitions apply to current versions), objects under 128 KB stay in STANDARD,
 * and the object is billed until its bytes are gone.
 */
function stagesOf(row: TimelineRow, sizeKb: number): Stage[] {
  const transitions: [StorageClassName, number | undefined][] = [
    ['STANDARD_IA', row.standardIaDay],
    ['GLACIER', row.glacierDay],
    ['DEEP_ARCHIVE', row.deepArchiveDay],
  ];
  const starts: [StorageClassName, number][] = [['STANDARD', 0]];
  if (sizeKb >= LIFECYCLE_MINIMUM_TRANSITION_KB) {
    for (const [storageClass, day] of transitions) {
      if (day !== undefined && day < row.deleteMarkerDay) starts.push([storageClass, day]);
    }
  }
  return starts.map(([storageClass, from], i) => ({
    storageClass,
    from,
    to: i + 1 < starts.length ? starts[i + 1][1] : row.bytesGoneDay,
  }));
}

/** What one object costs over its whole life, per category (USD). */
function lifetimeCost(
  stages: readonly Stage[],
  sizeKb: number,
  prices: PriceTable,
): Record<'storage' | 'archive-overhead' | 'transitions' | 'early-deletion', number> & {
  byClass: Partial<Record<StorageClassName, number>>;
} {
  const cost = {
    storage: 0,
    'archive-overhead': 0,
    transitions: 0,
    'early-deletion': 0,
    byClass: {} as Partial<Record<StorageClassName, number>>,
  };
  stages.forEach((stage, i) => {
    const price = prices.storagePerGbMonth[stage.storageClass];
    const billedGb =
      (stage.storageClass === 'STANDARD_IA' ? Math.max(sizeKb, STANDARD_IA_MINIMUM_BILLABLE_KB) : sizeKb) / KB_PER_GB;
    const days = stage.to - stage.from;
    const storage = (billedGb * price * days) / DAYS_PER_MONTH;
    cost.storage += storage;
    cost.byClass[stage.storageClass] = (cost.byClass[stage.storageClass] ?? 0) + storage;
    if (stage.storageClass === 'GLACIER' || stage.storageClass === 'DEEP_ARCHIVE') {
      const overheadGbMonth =
        (ARCHIVE_OVERHEAD_KB.ownClass * price + ARCHIVE_OVERHEAD_KB.standard * prices.storagePerGbMonth.STANDARD) /
        KB_PER_GB;
      cost['archive-overhead'] += (overheadGbMonth * days) / DAYS_PER_MONTH;
    }
    if (i > 0)
      cost.transitions += prices.transitionPer1000[stage.storageClass as Exclude<StorageClassName, 'STANDARD'>] / 1000;
    const shortBy = MINIMUM_STORAGE_DAYS[stage.storageClass] - days;
    if (shortBy > 0) cost['early-deletion'] += (billedGb * price * shortBy) / DAYS_PER_MONTH;
  });
  return cost;
}

function total(c: ReturnType<typeof lifetimeCost>): number {
  return c.storage + c['archive-overhead'] + c.transitions + c['early-deletion'];
}

/** Default shares: an even split over Genesys and the Connect classes (untagged recordings are the exception, so none). */
function evenShares(rows: readonly TimelineRow[]): Record<string, number> {
  const keys = [...new Set(rows.filter((r) => !r.untagged).map(shareKey))];
  return Object.fromEntries(keys.map((k) => [k, 1 / keys.length]));
}

function checkShares(rows: readonly TimelineRow[], shares: Readonly<Record<string, number>>): void {
  const known = new Set(rows.map(shareKey));
  for (const [key, value] of Object.entries(shares)) {
    if (!known.has(key))
      throw new Error(
        `--share ${key}: no recordings of that source or class in this environment; use one of: ${[...known].join(', ')}.`,
      );
    if (!(value >= 0 && value <= 1)) throw new Error(`--share ${key}=${value}: a share is a fraction between 0 and 1.`);
  }
  const sum = Object.values(shares).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6)
    throw new Error(
      `The shares add up to ${Number(sum.toFixed(6))}; give fractions that add up to 1 (e.g. --share genesys=0.5 --share long=0.5).`,
    );
}

/** Dollars: cents from $1 up, two significant digits below. */
export function usd(n: number): string {
  return `$${n >= 1 || n === 0 ? n.toFixed(2) : n.toPrecision(2)}`;
}

/**
 * The steady-state monthly cost of an environment's archive from its retention timeline: storage
 * per storage class, transition and write requests, early-deletion charges, KMS requests with
 * bucket keys, replication transfer, inventory, tagging; and a warning for every transition that
 * costs more than it saves, with the cheaper alternative (keeping the recordings in the previous class).
 */
export function costProjection(input: CostInput): CostProjection {
  const prices = input.prices ?? priceTable;
  if (!(input.recordingsPerDay > 0))
    throw new Error(`--recordings-per-day must be a number above 0 (got ${input.recordingsPerDay}).`);
  if (!(input.averageMb > 0)) throw new Error(`--average-mb must be a number above 0 (got ${input.averageMb}).`);
  const shares = input.shares ?? evenShares(input.rows);
  checkShares(input.rows, shares);
  const home = prices(input.region);
  const tables = new Map([[home.region, home]]);
  const lines: CostLine[] = [];
  const warnings: TransitionWarning[] = [];
  const gbByClass: Partial<Record<StorageClassName, number>> = {};
  let archiveObjectStock = 0;
  const recordingKb = input.averageMb * 1024;

  for (const row of input.rows) {
    const label = shareKey(row);
    const perDay = input.recordingsPerDay * (shares[label] ?? 0);
    if (perDay === 0) continue;
    const perMonth = perDay * DAYS_PER_MONTH;
    let table = home;
    if (row.copy === 'replica') {
      if (!input.replicaRegion)
        throw new Error(`The timeline has a replica row for ${label} but no replica region was given.`);
      table = prices(input.replicaRegion);
      tables.set(table.region, table);
    }
    const line = (category: CostCategory, monthlyUsd: number, storageClass?: StorageClassName) => {
      if (monthlyUsd > 0)
        lines.push({ category, label, copy: row.copy, ...(storageClass ? { storageClass } : {}), monthlyUsd });
    };

    // Recordings, and for Genesys their sidecars (small, so never transitioned).
    const groups = [
      { kind: 'recording', sizeKb: recordingKb },
      ...(row.source === 'genesys' ? [{ kind: 'sidecar', sizeKb: GENESYS_SIDECAR_KB }] : []),
    ];
    let objectsPerRecording = 0;
    for (const group of groups) {
      const stages = stagesOf(row, group.sizeKb);
      const cost = lifetimeCost(stages, group.sizeKb, table);
      for (const storageClass of STORAGE_CLASSES)
        line('storage', perMonth * (cost.byClass[storageClass] ?? 0), storageClass);
      line('archive-overhead', perMonth * cost['archive-overhead']);
      line('transitions', perMonth * cost.transitions);
      line('early-deletion', perMonth * cost['early-deletion']);
      for (const stage of stages)
        gbByClass[stage.storageClass] =
          (gbByClass[stage.storageClass] ?? 0) + (perDay * (stage.to - stage.from) * group.sizeKb) / KB_PER_GB;
      if (row.copy === 'archive') archiveObjectStock += perDay * row.bytesGoneDay;
      objectsPerRecording += 1;

      // A transition that costs more than it saves: compare with staying in the previous class.
      if (group.kind !== 'recording') continue;
      for (let i = 1; i < stages.length; i++) {
        const without = [...stages.slice(0, i - 1), { ...stages[i - 1], to: stages[i].to }, ...stages.slice(i + 1)];
        const withCost = total(cost);
        const withoutCost = total(lifetimeCost(without, group.sizeKb, table));
        if (withoutCost < withCost) {
          const { storageClass, from: day } = stages[i];
          const previous = stages[i - 1].storageClass;
          const monthlySavingUsd = perMonth * (withCost - withoutCost);
          warnings.push({
            label,
            copy: row.copy,
            storageClass,
            day,
            per1000WithUsd: withCost * 1000,
            per1000WithoutUsd: withoutCost * 1000,
            monthlySavingUsd,
            message: `${label} on the ${row.copy} copy: the transition to ${storageClass} on day ${day} costs more than it saves for ${input.averageMb} MB recordings (${usd(withCost * 1000)} per 1,000 recordings over their life with it, ${usd(withoutCost * 1000)} without); keeping them in ${previous} until day ${stages[i].to} is cheaper by ${usd(monthlySavingUsd)} a month (move the transition later, or give it an object-size filter).`,
          });
        }
      }
    }

    // Requests: every object is written once to each copy; Connect recordings are tagged where they are.
    line('writes', (perMonth * objectsPerRecording * table.putPer1000) / 1000);
    if (row.source === 'connect' && row.copy !== 'replica')
      line('tagging', (perMonth * (table.getPer1000 + table.putPer1000)) / 1000);
    if (row.copy === 'archive')
      line(
        'kms',
        (perMonth * objectsPerRecording * KMS_REQUESTS_PER_OBJECT_WITH_BUCKET_KEY * home.kmsPer10000Requests) / 10000,
      );
    if (row.copy === 'replica')
      line('replication-transfer', ((perMonth * recordingKb) / KB_PER_GB) * home.interRegionTransferPerGb);
  }

  // Environment-wide: the archive stack's keys and the daily inventory of the archive bucket.
  const shared = (category: CostCategory, monthlyUsd: number) =>
    lines.push({ category, label: 'all', copy: 'archive', monthlyUsd });
  shared('kms', CUSTOMER_MANAGED_KEYS * home.kmsKeyPerMonth);
  shared('inventory', ((archiveObjectStock * DAYS_PER_MONTH) / 1e6) * home.inventoryPerMillionObjects);

  const sum = (ls: readonly CostLine[]) => ls.reduce((a, l) => a + l.monthlyUsd, 0);
  const labels = [...new Set(lines.map((l) => l.label))];
  const categories = [...new Set(lines.map((l) => l.category))];
  return {
    recordingsPerDay: input.recordingsPerDay,
    averageMb: input.averageMb,
    shares,
    lines,
    byStorageClass: STORAGE_CLASSES.filter((c) => gbByClass[c] !== undefined).map((storageClass) => ({
      storageClass,
      gb: gbByClass[storageClass]!,
      monthlyUsd: sum(lines.filter((l) => l.storageClass === storageClass)),
    })),
    byLabel: labels.map((label) => ({ label, monthlyUsd: sum(lines.filter((l) => l.label === label)) })),
    byCategory: categories.map((category) => ({
      category,
      monthlyUsd: sum(lines.filter((l) => l.category === category)),
    })),
    totalMonthlyUsd: sum(lines),
    warnings,
    assumptions: [
      `Steady state: every class is full and as many recordings expire as arrive; a month is ${DAYS_PER_MONTH} days; 1 GB = 1,024 MB; storage at the first-tier (first 50 TB a month) price.`,
      `Each recording is one object written once (no multipart parts); Genesys adds one ${GENESYS_SIDECAR_KB} KB _metadata.json sidecar per recording (size assumed).`,
      `Objects under ${LIFECYCLE_MINIMUM_TRANSITION_KB} KB are not transitioned (S3's lifecycle default); STANDARD_IA bills at least ${STANDARD_IA_MINIMUM_BILLABLE_KB} KB per object; GLACIER and DEEP_ARCHIVE add ${ARCHIVE_OVERHEAD_KB.standard} KB at STANDARD and ${ARCHIVE_OVERHEAD_KB.ownClass} KB at their own price per object.`,
      `Objects are billed until their bytes are gone (noncurrent versions and locked versions included), and for the rest of a class's minimum duration (STANDARD_IA 30, GLACIER 90, DEEP_ARCHIVE 180 days) when they leave it earlier.`,
      `KMS with S3 Bucket Keys: ${KMS_REQUESTS_PER_OBJECT_WITH_BUCKET_KEY} requests per object written (AWS documents up to 99% fewer requests), plus ${CUSTOMER_MANAGED_KEYS} customer managed keys.`,
      "Not included: reads and restores, Athena queries, Lambda, Kinesis, CloudWatch, and the replica bucket's own KMS key.",
    ],
    priceTables: [...tables.values()],
  };
}
