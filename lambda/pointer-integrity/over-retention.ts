import type { Finding } from './findings';
import type { ExpirationRule } from './reconcile';

/** Days lifecycle may lag behind a due action before a version counts as kept past its day. */
export const LIFECYCLE_GRACE_DAYS = 2;

const DAY_MS = 86_400_000;

/** One entry of a ListObjectVersions page: a version or a delete marker. */
export interface ListedVersion {
  readonly key: string;
  readonly versionId?: string;
  readonly lastModified: Date;
  readonly size: number;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
}

/** S3 counts lifecycle days from the write and rounds the result up to the next midnight UTC. */
export function lifecycleDue(from: Date, days: number): Date {
  const at = from.getTime() + days * DAY_MS;
  const midnight = Math.ceil(at / DAY_MS) * DAY_MS;
  return new Date(midnight);
}

/**
 * The earliest expiration that applies to a current version: every enabled rule whose prefix,
 * tags (when the version's tags are known) and size bounds match; S3 applies the shorter of
 * overlapping expirations.
 */
export function dueExpiration(
  version: Pick<ListedVersion, 'key' | 'lastModified' | 'size'>,
  tags: Readonly<Record<string, string>> | undefined,
  rules: readonly ExpirationRule[],
): { readonly at: Date; readonly rule: ExpirationRule } | undefined {
  let earliest: { at: Date; rule: ExpirationRule } | undefined;
  for (const rule of rules) {
    if (!version.key.startsWith(rule.prefix)) continue;
    const ruleTags = Object.entries(rule.tags);
    if (ruleTags.length > 0 && (tags === undefined || ruleTags.some(([k, v]) => tags[k] !== v))) continue;
    if (rule.objectSizeGreaterThan !== undefined && !(version.size > rule.objectSizeGreaterThan)) continue;
    if (rule.objectSizeLessThan !== undefined && !(version.size < rule.objectSizeLessThan)) continue;
    const at = rule.days !== undefined ? lifecycleDue(version.lastModified, rule.days) : rule.date;
    if (at && (!earliest || at.getTime() < earliest.at.getTime())) earliest = { at, rule };
  }
  return earliest;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Where the versions were listed, for the finding's detail: 'archive', 'replica', 'connect-bucket'. */
export interface OverRetentionOptions {
  readonly copy: string;
  readonly rules: readonly ExpirationRule[];
  /** Days a noncurrent version is kept (the copy's NoncurrentVersionExpiration). */
  readonly noncurrentDays: number;
  readonly now: Date;
  /** @default LIFECYCLE_GRACE_DAYS */
  readonly graceDays?: number;
}

/**
 * Over-retention of one key's versions, listed newest first as ListObjectVersions returns them:
 * `RetainedPastDay` for a current version still there more than the grace days after its
 * expiration day (class-aware when its tags are given), `NoncurrentPastDay` for a noncurrent
 * version still there more than the grace days after it became noncurrent plus the noncurrent
 * days. A version becomes noncurrent when the next newer version or delete marker is written.
 */
export function overRetentionFindings(
  versionsNewestFirst: readonly ListedVersion[],
  currentTags: Readonly<Record<string, string>> | undefined,
  options: OverRetentionOptions,
): Finding[] {
  const grace = (options.graceDays ?? LIFECYCLE_GRACE_DAYS) * DAY_MS;
  const now = options.now.getTime();
  const findings: Finding[] = [];
  versionsNewestFirst.forEach((version, i) => {
    if (version.isDeleteMarker) return;
    const where = `${options.copy} s3 version ${version.versionId ?? 'null'}`;
    if (version.isLatest) {
      const due = dueExpiration(version, currentTags, options.rules);
      if (due && now > due.at.getTime() + grace) {
        findings.push({
          type: 'RetainedPastDay',
          key: version.key,
          detail: `The current version (${where}) was due to expire on ${day(due.at)} by rule ${due.rule.id} and is still there more than ${options.graceDays ?? LIFECYCLE_GRACE_DAYS} days later.`,
        });
      }
      return;
    }
    const newer = versionsNewestFirst[i - 1];
    if (!newer) return;
    const due = lifecycleDue(newer.lastModified, options.noncurrentDays);
    if (now > due.getTime() + grace) {
      findings.push({
        type: 'NoncurrentPastDay',
        key: version.key,
        detail: `A noncurrent version (${where}) became noncurrent on ${day(newer.lastModified)}, was due to go on ${day(due)} (${options.noncurrentDays} noncurrent days) and is still there more than ${options.graceDays ?? LIFECYCLE_GRACE_DAYS} days later.`,
      });
    }
  });
  return findings;
}

/**
 * Whether a tag-filtered rule matching the version's key and size would have expired it more than
 * the grace days before `now`: only then do its tags change the verdict, so only then are they read.
 */
export function tagRulesCouldBeDue(
  version: Pick<ListedVersion, 'key' | 'lastModified' | 'size'>,
  rules: readonly ExpirationRule[],
  now: Date,
  graceDays: number = LIFECYCLE_GRACE_DAYS,
): boolean {
  return rules.some((rule) => {
    if (Object.keys(rule.tags).length === 0 || !version.key.startsWith(rule.prefix)) return false;
    if (rule.objectSizeGreaterThan !== undefined && !(version.size > rule.objectSizeGreaterThan)) return false;
    if (rule.objectSizeLessThan !== undefined && !(version.size < rule.objectSizeLessThan)) return false;
    const at = rule.days !== undefined ? lifecycleDue(version.lastModified, rule.days) : rule.date;
    return at !== undefined && now.getTime() > at.getTime() + graceDays * DAY_MS;
  });
}

/** ListObjectVersions' order: keys in S3's binary order, each key's versions newest first (the latest first on a tie). */
export function versionOrder(a: ListedVersion, b: ListedVersion): number {
  const byKey = Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8'));
  if (byKey !== 0) return byKey;
  const byTime = b.lastModified.getTime() - a.lastModified.getTime();
  if (byTime !== 0) return byTime;
  return Number(b.isLatest) - Number(a.isLatest);
}
