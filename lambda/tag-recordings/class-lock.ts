import type { S3Client } from '@aws-sdk/client-s3';
import { createBucketLockReader, LockOutcome, lockUntilDay } from '../shared/object-retention';
import type { TagOperation } from './ctr';

/** Locks one tagged recording until its class's expiration day. */
export type ClassLock = (op: TagOperation) => Promise<LockOutcome>;

/** Reads RETENTION_CLASS_DAYS: a JSON object of class name -> days. */
export function readClassDays(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, number>> {
  const raw = env.RETENTION_CLASS_DAYS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new Error(
      `The environment variable RETENTION_CLASS_DAYS must be a JSON object of class name to days, not '${raw ?? ''}'.`,
    );
  }
  const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  if (entries.length === 0 || entries.some(([, d]) => !Number.isInteger(d) || (d as number) < 1)) {
    throw new Error(
      `The environment variable RETENTION_CLASS_DAYS must be a JSON object of class name to days, not '${raw ?? ''}'.`,
    );
  }
  return Object.fromEntries(entries);
}

/**
 * After tagging: in a bucket with Object Lock, RetainUntilDate = LastModified + the class's days
 * (a later CTR with a longer class lengthens it; a shorter class never shortens it). A bucket
 * without Object Lock is left alone; whether a bucket has it is read once per container.
 */
export function createClassLock(
  s3: S3Client,
  classDays: Readonly<Record<string, number>>,
  options: { readonly dayMs?: number } = {},
): ClassLock {
  const bucketLock = createBucketLockReader(s3);
  return async (op) => {
    const days = classDays[op.value];
    if (days === undefined) throw new Error(`The retention class '${op.value}' has no days in RETENTION_CLASS_DAYS.`);
    return lockUntilDay(s3, { bucket: op.bucket, key: op.key }, days, await bucketLock(op.bucket), options.dayMs);
  };
}
