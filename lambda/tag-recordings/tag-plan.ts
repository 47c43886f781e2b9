import { S3Client } from '@aws-sdk/client-s3';
import type { ClassLock } from './class-lock';
import { TagPlan } from './ctr';
import { classifyError, ParkReason } from './failures';
import { applyTag, MissingObjectRetry } from './s3-tagger';

/** What tagging one CTR's plan came to; transient errors are thrown instead. */
export type PlanOutcome =
  | { readonly status: 'tagged'; readonly written: number }
  | { readonly status: 'late'; readonly detail: string }
  | { readonly status: 'park'; readonly reason: ParkReason; readonly detail: string };

/**
 * Tags every recording of one plan together, then settles them as one: any transient error is
 * rethrown (the caller's retry applies to the whole CTR; tagging is idempotent), else any error that
 * needs fixing parks the CTR, else a missing recording makes it late. The stream handler, the retry
 * consumer, `ctr:redrive` and `ctr:backfill` all tag through here. With a `classLock`, each tagged
 * recording is then locked until its class's day (buckets with Object Lock), so every path that
 * tags also locks.
 */
export async function tagPlan(
  s3: S3Client,
  plan: Pick<TagPlan, 'operations'>,
  retry: MissingObjectRetry,
  classLock?: ClassLock,
): Promise<PlanOutcome> {
  const results = await Promise.allSettled(
    plan.operations.map(async (op) => {
      const tagged = await applyTag(s3, op, retry);
      if (classLock) await classLock(op);
      return tagged;
    }),
  );
  let park: PlanOutcome | undefined;
  let late: PlanOutcome | undefined;
  let written = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') {
      if (result.value === 'written') written += 1;
      continue;
    }
    const classified = classifyError(result.reason);
    if (classified.kind === 'transient') throw result.reason;
    if (classified.kind === 'park') park ??= { status: 'park', reason: classified.reason, detail: classified.detail };
    else late ??= { status: 'late', detail: classified.detail };
  }
  return park ?? late ?? { status: 'tagged', written };
}
