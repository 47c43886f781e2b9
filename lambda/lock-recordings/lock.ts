import type { S3Client } from '@aws-sdk/client-s3';
import * as z from '../shared/zod';
import { logger } from '../shared/logger';
import { createBucketLockReader, LockOutcome, lockUntilDay } from '../shared/object-retention';

/** The part of S3's EventBridge `Object Created` event this function reads. */
export const ObjectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(3)) }),
    object: z.object({ key: z.string().check(z.minLength(1)), 'version-id': z.optional(z.string()) }),
  }),
});
export type ObjectCreatedEvent = z.infer<typeof ObjectCreatedSchema>;

/** Reads LOCK_DAYS: the days after the write that every new version stays locked. */
export function readLockDays(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.LOCK_DAYS;
  const days = Number(raw);
  if (!raw || !Number.isInteger(days) || days < 1)
    throw new Error(`The environment variable LOCK_DAYS must be a positive integer, not '${raw ?? ''}'.`);
  return days;
}

/**
 * Locks each new recording version (and its sidecar) until LastModified + LOCK_DAYS, the day its
 * lifecycle expiration fires. A failure throws: Lambda retries the asynchronous invocation, then
 * sends the event to the on-failure queue with its payload.
 */
export function createHandler(
  s3: S3Client,
  days: number,
  options: { readonly dayMs?: number } = {},
): (event: unknown) => Promise<LockOutcome> {
  const bucketLock = createBucketLockReader(s3);
  return async (event) => {
    const { detail } = ObjectCreatedSchema.parse(event);
    const target = { bucket: detail.bucket.name, key: detail.object.key, versionId: detail.object['version-id'] };
    const result = await lockUntilDay(s3, target, days, await bucketLock(target.bucket), options.dayMs);
    logger.info('Retention', { ...target, ...result });
    return result;
  };
}
