/** What the archive's configuration says about when a version goes. */
export interface RetentionRules {
  /** Prefix-wide expiration (the compliance window), in days after creation. */
  readonly retentionDays: number;
  /** Tag key of the Connect retention class. */
  readonly retentionTagKey: string;
  /** Retention class -> days. */
  readonly classes: Readonly<Record<string, number>>;
  /** Days a noncurrent version is kept. */
  readonly noncurrentDays: number;
}

/** The facts of one version that decide its deletion. */
export interface VersionFacts {
  readonly lastModified: Date;
  readonly isLatest: boolean;
  /** When a newer version replaced it (the next version's LastModified); only for noncurrent versions. */
  readonly noncurrentSince?: Date;
  readonly tags: Readonly<Record<string, string>>;
  readonly retainUntil?: Date;
  readonly legalHold: boolean;
}

/** When the version will be deleted, and why. */
export interface DeletionDate {
  /** ISO day, or undefined while a legal hold keeps it. */
  readonly day?: string;
  readonly reason: string;
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The day S3 deletes a version under the archive's lifecycle: the shorter of the prefix window
 * and its retention class (the shorter expiration wins), for a noncurrent version its noncurrent
 * expiry; never before its Object Lock retain-until date; never while it is on legal hold.
 * Lifecycle runs once a day, so S3 may act up to a day later.
 */
export function deletionDate(rules: RetentionRules, v: VersionFacts): DeletionDate {
  if (v.legalHold) return { reason: 'on legal hold: kept until the hold is released' };
  let at: Date;
  let reason: string;
  if (!v.isLatest && v.noncurrentSince) {
    at = new Date(v.noncurrentSince.getTime() + rules.noncurrentDays * DAY);
    reason = `noncurrent for ${rules.noncurrentDays} day(s)`;
  } else {
    const cls = v.tags[rules.retentionTagKey];
    const classDays = cls !== undefined ? rules.classes[cls] : undefined;
    const days = classDays !== undefined ? Math.min(classDays, rules.retentionDays) : rules.retentionDays;
    at = new Date(v.lastModified.getTime() + days * DAY);
    reason =
      classDays !== undefined && classDays <= rules.retentionDays
        ? `retention class ${cls}: ${days} days`
        : `archive window: ${days} days`;
  }
  if (v.retainUntil && v.retainUntil > at) {
    return { day: isoDay(v.retainUntil), reason: `${reason}, held by Object Lock until ${isoDay(v.retainUntil)}` };
  }
  return { day: isoDay(at), reason };
}
