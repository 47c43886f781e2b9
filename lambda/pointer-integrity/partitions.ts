/** One date partition to list: a bucket, a key prefix, and what is checked in it. */
export interface Partition {
  /** `genesys`: the export layout (sidecars, encryption, T4); `connect`: Connect recordings (retention tag). */
  readonly source: 'genesys' | 'connect';
  readonly bucket: string;
  readonly prefix: string;
  /**
   * The listing ends at the first key at or after this one: the partition of everything older than
   * the day partitions (date-partitioned keys sort by date), where only over-retained versions,
   * delete markers and noncurrent versions within their days are left.
   * @default - the whole prefix
   */
  readonly before?: string;
  /**
   * Only over-retention is checked (the replica, or a second Connect location): no pairing,
   * encryption, platform window or retention-tag findings, which the primary copy reports.
   * @default false
   */
  readonly retentionOnly?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** Values of the layout tokens for one instant (UTC) and conversation. */
function tokens(orgId: string, at: Date, conversationId?: string): Record<string, string> {
  return {
    orgId,
    yyyy: String(at.getUTCFullYear()),
    mm: pad(at.getUTCMonth() + 1),
    dd: pad(at.getUTCDate()),
    hh: pad(at.getUTCHours()),
    ...(conversationId === undefined ? {} : { conversationId }),
  };
}

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(
        `The key layout token ${whole} has no value here; the layout must name {orgId}, {yyyy}, {mm}, {dd}, {hh} and {conversationId} only.`,
      );
    }
    return value;
  });
}

/** The key prefix of one day of the export layout: the layout up to and including the `{dd}` segment. */
export function genesysDayPrefix(recordingsPrefix: string, layout: string, orgId: string, day: Date): string {
  const end = layout.indexOf('/', layout.indexOf('{dd}'));
  if (layout.indexOf('{dd}') === -1 || end === -1) {
    throw new Error(`The key layout '${layout}' has no {dd} segment, so it cannot be listed day by day.`);
  }
  return recordingsPrefix + render(layout.slice(0, end + 1), tokens(orgId, day));
}

/** The conversation folder Genesys exports a recording into, for one instant of that recording. */
export function genesysConversationPrefix(
  recordingsPrefix: string,
  layout: string,
  orgId: string,
  at: Date,
  conversationId: string,
): string {
  return recordingsPrefix + render(layout, tokens(orgId, at, conversationId));
}

/** Connect's `CallRecordings/YYYY/MM/DD/` day folder under its prefix. */
export function connectDayPrefix(prefix: string, day: Date): string {
  return `${prefix}${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}/`;
}

/**
 * The fixed start of the export layout's keys (the layout up to its first date token, cut at a
 * `/`), when its keys sort by date: `{yyyy}`, `{mm}`, `{dd}` in that order before any other
 * token. Undefined otherwise (then nothing older than the day partitions is listed).
 */
export function genesysRootPrefix(recordingsPrefix: string, layout: string, orgId: string): string | undefined {
  const rest = layout.replace('{orgId}', orgId);
  const at = (token: string) => rest.indexOf(token);
  const first = rest.indexOf('{');
  if (!(first === at('{yyyy}') && at('{yyyy}') < at('{mm}') && at('{mm}') < at('{dd}'))) return undefined;
  for (const other of ['{hh}', '{conversationId}']) if (at(other) !== -1 && at(other) < at('{dd}')) return undefined;
  return recordingsPrefix + rest.slice(0, rest.lastIndexOf('/', first) + 1);
}

/** Every UTC day from `days` days before `until` to `until`, oldest first. */
export function daysBack(until: Date, days: number): Date[] {
  const last = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
  return Array.from({ length: days + 1 }, (_, i) => new Date(last - (days - i) * DAY_MS));
}

/** What the run lists: the archive's export layout and, where configured, Connect's recordings. */
export interface PartitionPlanInput {
  readonly startedAt: Date;
  /** Days of partitions to list back from the run's start: the retention window (older objects have expired). */
  readonly horizonDays: number;
  readonly archiveBucket: string;
  readonly recordingsPrefix: string;
  readonly keyLayout: string;
  readonly orgId: string;
  /** Connect recordings whose retention tags are checked; absent where Connect is not configured. */
  readonly connect?: { readonly bucket: string; readonly prefix: string; readonly days: number };
  /**
   * Over-retention is measured: each listing also gets a partition of everything older than its
   * day partitions (first), so a version kept past its day is found however old it is.
   * @default false
   */
  readonly overRetention?: boolean;
  /**
   * Further copies listed for over-retention only: the replica (the export layout, `days` of day
   * partitions) and a second Connect location (Connect's layout under `prefix`).
   * @default - none
   */
  readonly retentionOnly?: ReadonlyArray<
    | { readonly layout: 'genesys'; readonly bucket: string; readonly days: number }
    | { readonly layout: 'connect'; readonly bucket: string; readonly prefix: string; readonly days: number }
  >;
}

/**
 * The run's partitions in a fixed order derived only from the input, so an invocation that
 * resumes from a partition index lists exactly the partitions the earlier ones did not.
 */
export function partitionPlan(input: PartitionPlanInput): Partition[] {
  const older = (root: string | undefined, first: string, base: Omit<Partition, 'prefix'>): Partition[] =>
    input.overRetention && root !== undefined && first.startsWith(root)
      ? [{ ...base, prefix: root, before: first }]
      : [];
  const genesys = (bucket: string, days: number, retentionOnly: boolean): Partition[] => {
    const base = { source: 'genesys' as const, bucket, ...(retentionOnly ? { retentionOnly } : {}) };
    const dayPartitions = daysBack(input.startedAt, days).map((day) => ({
      ...base,
      prefix: genesysDayPrefix(input.recordingsPrefix, input.keyLayout, input.orgId, day),
    }));
    const root = genesysRootPrefix(input.recordingsPrefix, input.keyLayout, input.orgId);
    return [...older(root, dayPartitions[0].prefix, base), ...dayPartitions];
  };
  const connect = (bucket: string, prefix: string, days: number, retentionOnly: boolean): Partition[] => {
    const base = { source: 'connect' as const, bucket, ...(retentionOnly ? { retentionOnly } : {}) };
    const dayPartitions = daysBack(input.startedAt, days).map((day) => ({
      ...base,
      prefix: connectDayPrefix(prefix, day),
    }));
    return [...older(prefix, dayPartitions[0].prefix, base), ...dayPartitions];
  };
  const c = input.connect;
  return [
    ...genesys(input.archiveBucket, input.horizonDays, false),
    ...(c ? connect(c.bucket, c.prefix, c.days, false) : []),
    ...(input.retentionOnly ?? []).flatMap((copy) =>
      copy.layout === 'genesys'
        ? genesys(copy.bucket, copy.days, true)
        : connect(copy.bucket, copy.prefix, copy.days, true),
    ),
  ];
}
