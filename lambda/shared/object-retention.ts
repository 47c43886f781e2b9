import {
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  ObjectLockRetention,
  ObjectLockRetentionMode,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** One day in milliseconds: retain-until dates are the write time plus whole days. */
export const DAY_MS = 86_400_000;

/** What {@link lockUntilDay} did to one object version. */
export type LockOutcome =
  | {
      readonly outcome: 'locked';
      readonly versionId?: string;
      readonly retainUntil: Date;
      readonly mode: ObjectLockRetentionMode;
    }
  | { readonly outcome: 'unchanged'; readonly versionId?: string; readonly retainUntil: Date }
  | { readonly outcome: 'no-object-lock' };

/** One object version to lock: the current one when `versionId` is absent. */
export interface LockTarget {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/**
 * The retain-until date a version needs: its LastModified plus `days`, the day its lifecycle
 * expiration is due. Pure, so the rule is tested with plain dates.
 */
export function retainUntilFor(lastModified: Date, days: number, dayMs: number = DAY_MS): Date {
  return new Date(lastModified.getTime() + days * dayMs);
}

/**
 * Whether a version's current retention must be lengthened: never shortened (S3 refuses that in
 * COMPLIANCE mode and needs s3:BypassGovernanceRetention in GOVERNANCE, which these functions
 * never hold), so only a later or absent date is written.
 */
export function needsLonger(current: Date | undefined, wanted: Date): boolean {
  return current === undefined || current.getTime() < wanted.getTime();
}

/** The bucket's Object Lock: its default mode, or undefined when the bucket has no Object Lock. */
export type BucketLock = { readonly mode: ObjectLockRetentionMode } | undefined;

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Reads whether a bucket has Object Lock (GetObjectLockConfiguration), once per bucket per
 * container. A bucket with Object Lock but no default retention locks in GOVERNANCE mode.
 */
export function createBucketLockReader(s3: S3Client): (bucket: string) => Promise<BucketLock> {
  const cache = new Map<string, Promise<BucketLock>>();
  return (bucket) => {
    let lock = cache.get(bucket);
    if (!lock) {
      lock = s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })).then(
        (result): BucketLock => {
          const config = result.ObjectLockConfiguration;
          if (config?.ObjectLockEnabled !== 'Enabled') return undefined;
          return { mode: config.Rule?.DefaultRetention?.Mode ?? 'GOVERNANCE' };
        },
        (error: unknown): BucketLock => {
          if (errorName(error) === 'ObjectLockConfigurationNotFoundError') return undefined;
          throw error;
        },
      );
      // A failed read is not cached: the next record asks again.
      lock.catch(() => cache.delete(bucket));
      cache.set(bucket, lock);
    }
    return lock;
  };
}

/** The version's write time and id: ListObjectVersions, so the function needs no right to read recordings. */
async function findVersion(
  s3: S3Client,
  target: LockTarget,
): Promise<{ readonly versionId?: string; readonly lastModified: Date }> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: target.bucket,
        Prefix: target.key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
        MaxKeys: 100,
      }),
    );
    const version = (page.Versions ?? []).find(
      (v) =>
        v.Key === target.key &&
        (target.versionId === undefined ? v.IsLatest === true : v.VersionId === target.versionId),
    );
    if (version?.LastModified) return { versionId: version.VersionId, lastModified: version.LastModified };
    // Versions of one key come together; past it (or out of pages) the version is not there.
    const pastKey = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].some(
      (v) => v.Key !== undefined && v.Key > target.key,
    );
    if (!page.IsTruncated || pastKey) break;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
  const error = new Error(
    `The version ${target.versionId ?? '(current)'} of s3://${target.bucket}/${target.key} is not in the bucket (yet).`,
  );
  error.name = 'NoSuchVersion';
  throw error;
}

const NO_RETENTION_ERRORS = new Set(['NoSuchObjectLockConfiguration', 'ObjectLockConfigurationNotFoundError']);

async function currentRetention(
  s3: S3Client,
  target: LockTarget,
  versionId: string | undefined,
): Promise<ObjectLockRetention | undefined> {
  try {
    const result = await s3.send(
      new GetObjectRetentionCommand({ Bucket: target.bucket, Key: target.key, VersionId: versionId }),
    );
    return result.Retention;
  } catch (error) {
    // S3 answers NoSuchObjectLockConfiguration for a version without retention; Ceph's gateway
    // answers ObjectLockConfigurationNotFoundError.
    if (NO_RETENTION_ERRORS.has(errorName(error) ?? '')) return undefined;
    throw error;
  }
}

/**
 * Locks one object version until its LastModified + `days` (PutObjectRetention), in the
 * version's current mode or else the bucket's default mode; a longer retention is kept as it is.
 * ListObjectVersions gives LastModified and the version id, GetObjectRetention the current
 * retention; neither reads the recording. Errors are thrown for the caller's retry and
 * dead-letter path. `dayMs` is a day's length: tests against a gateway whose lifecycle day lasts
 * seconds pass that length, so locks and lifecycle keep the same calendar.
 */
export async function lockUntilDay(
  s3: S3Client,
  target: LockTarget,
  days: number,
  bucketLock: BucketLock,
  dayMs: number = DAY_MS,
): Promise<LockOutcome> {
  if (!bucketLock) return { outcome: 'no-object-lock' };
  const { versionId, lastModified } = await findVersion(s3, target);
  const wanted = retainUntilFor(lastModified, days, dayMs);
  const current = await currentRetention(s3, target, versionId);
  if (!needsLonger(current?.RetainUntilDate, wanted)) {
    return { outcome: 'unchanged', versionId, retainUntil: current!.RetainUntilDate! };
  }
  // COMPLIANCE stays COMPLIANCE; a version without retention gets the bucket's mode.
  const mode: ObjectLockRetentionMode = current?.Mode ?? bucketLock.mode;
  await s3.send(
    new PutObjectRetentionCommand({
      Bucket: target.bucket,
      Key: target.key,
      VersionId: versionId,
      Retention: { Mode: mode, RetainUntilDate: wanted },
    }),
  );
  return { outcome: 'locked', versionId, retainUntil: wanted, mode };
}
