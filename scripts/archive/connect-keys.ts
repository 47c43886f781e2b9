import { ArchiveConfig } from '../../lib/config';
import { CONNECT_ARCHIVE_BUCKET_PREFIX } from '../../lib/config/connect-schema';
import { RetentionRules } from './deletion-date';

/** One place Connect writes call recordings: `{prefix}YYYY/MM/DD/{contactId}_{timestamp}_UTC.wav`. */
export interface ConnectLocation {
  readonly bucket: string;
  /** The folder above Connect's `YYYY/MM/DD/` day folders, ending with `/`. */
  readonly prefix: string;
  /** What decides when a version there is deleted. */
  readonly rules: RetentionRules;
  /** Days back a scan for a contact looks: objects older than this have expired. */
  readonly scanDays: number;
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Every Connect location of an environment: the archive's `connect/CallRecordings/` with
 * `connect.recordIntoArchive` (the archive's rules under the window, and the longest class as the
 * fallback for untagged recordings, lib/constructs/connect-archive-access.ts), and the existing
 * Connect bucket of `connect.existingRecordingBucket` (its class rules and the same fallback,
 * lib/constructs/connect-bucket-lifecycle.ts). A scan looks back over the archive's window there
 * (a held recording outlives its class) and over the longest class in Connect's bucket.
 */
export function connectLocations(config: ArchiveConfig, archiveBucket: string): ConnectLocation[] {
  const connect = config.connect;
  if (!connect) return [];
  const classes = config.retention.classes;
  const longest = Math.max(...Object.values(classes));
  const out: ConnectLocation[] = [];
  if (connect.recordIntoArchive) {
    out.push({
      bucket: archiveBucket,
      prefix: `${CONNECT_ARCHIVE_BUCKET_PREFIX}/`,
      rules: {
        retentionDays: Math.min(config.compliance.retentionDays, longest),
        retentionTagKey: config.retention.tagKey,
        classes,
        noncurrentDays: config.lifecycle.noncurrentVersionExpirationDays,
      },
      scanDays: config.compliance.retentionDays,
    });
  }
  const existing = connect.existingRecordingBucket;
  if (existing) {
    out.push({
      bucket: existing.bucketName,
      prefix: existing.prefix,
      rules: {
        retentionDays: longest,
        retentionTagKey: config.retention.tagKey,
        classes,
        noncurrentDays: existing.noncurrentVersionExpirationDays,
      },
      scanDays: longest,
    });
  }
  return out;
}

/** The key prefix of one contact's recordings on one UTC day: `{prefix}YYYY/MM/DD/{contactId}_`. */
export function contactDayPrefix(prefix: string, day: Date, contactId: string): string {
  return `${prefix}${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}/${contactId}_`;
}

/** `YYYY-MM-DD` as a UTC day, or an error naming the option. */
export function parseDay(text: string, option: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!day || day.toISOString().slice(0, 10) !== text.trim())
    throw new Error(`${option} ${text} is not a day; write it as YYYY-MM-DD, such as 2026-11-23.`);
  return day;
}

/** The day and its neighbours (a local date can be the UTC day before or after), oldest first. */
export function daysAround(day: Date): Date[] {
  return [-1, 0, 1].map((d) => new Date(day.getTime() + d * DAY_MS));
}

/** UTC days from `until` back `days` days, newest first (the order a scan looks in). */
export function daysBackFrom(until: Date, days: number): Date[] {
  const last = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
  return Array.from({ length: days + 1 }, (_, i) => new Date(last - i * DAY_MS));
}
