/** One date partition to list: a bucket, a key prefix, and what is checked in it. */
export interface Partition {
  /** `genesys`: the export layout (sidecars, encryption, T4); `connect`: Connect recordings (retention tag). */
  readonly source: 'genesys' | 'connect';
  readonly bucket: string;
  readonly prefix: string;
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
}

/**
 * The run's partitions in a fixed order derived only from the input, so an invocation that
 * resumes from a partition index lists exactly the partitions the earlier ones did not.
 */
export function partitionPlan(input: PartitionPlanInput): Partition[] {
  const genesys = daysBack(input.startedAt, input.horizonDays).map((day) => ({
    source: 'genesys' as const,
    bucket: input.archiveBucket,
    prefix: genesysDayPrefix(input.recordingsPrefix, input.keyLayout, input.orgId, day),
  }));
  const connect = input.connect;
  const connectPartitions = connect
    ? daysBack(input.startedAt, connect.days).map((day) => ({
        source: 'connect' as const,
        bucket: connect.bucket,
        prefix: connectDayPrefix(connect.prefix, day),
      }))
    : [];
  return [...genesys, ...connectPartitions];
}
