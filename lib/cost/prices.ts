import usEast1 from './prices/us-east-1.json';
import usWest2 from './prices/us-west-2.json';

/** Storage classes the archive's lifecycle uses. */
export type StorageClassName = 'STANDARD' | 'STANDARD_IA' | 'GLACIER' | 'DEEP_ARCHIVE';

/** One region's prices (USD), committed with where they come from and when they were checked. */
export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  /** Page(s) the prices were read from. */
  readonly source: string;
  /** Date the prices were read (YYYY-MM-DD). */
  readonly checkedAt: string;
  readonly storagePerGbMonth: Readonly<Record<StorageClassName, number>>;
  /** Lifecycle transition requests into each class, per 1,000 objects. */
  readonly transitionPer1000: Readonly<Record<Exclude<StorageClassName, 'STANDARD'>, number>>;
  /** PUT, COPY, POST, LIST requests (also PutObjectTagging and replication writes), per 1,000. */
  readonly putPer1000: number;
  /** GET and other requests (also GetObjectTagging), per 1,000. */
  readonly getPer1000: number;
  readonly kmsPer10000Requests: number;
  readonly kmsKeyPerMonth: number;
  /** S3 Inventory, per million objects listed. */
  readonly inventoryPerMillionObjects: number;
  /** Data transfer out of this region to another AWS region (replication), per GB. */
  readonly interRegionTransferPerGb: number;
}

/** Every committed price table, by region (lib/cost/prices/REGION.json). */
export const PRICE_TABLES: Readonly<Record<string, PriceTable>> = {
  'us-east-1': usEast1,
  'us-west-2': usWest2,
};

/** The committed prices of a region; one sentence naming the fix when there are none. */
export function priceTable(region: string): PriceTable {
  const table = PRICE_TABLES[region];
  if (!table) {
    throw new Error(
      `No price table is committed for ${region}; add lib/cost/prices/${region}.json (copy us-east-1.json and enter the prices of https://aws.amazon.com/s3/pricing/ for ${region}) and list it in lib/cost/prices.ts, or pass --region with one of: ${Object.keys(PRICE_TABLES).join(', ')}.`,
    );
  }
  return table;
}
