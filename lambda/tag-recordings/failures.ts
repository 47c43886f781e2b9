import * as z from '../shared/zod';
import { TagPlan } from './ctr';

/**
 * Why a CTR left the stream without its recordings tagged. `recording-late` travels on the retry
 * queue; every other reason is parked in the dead-letter queue with the CTR (or the record's data).
 */
export type FailureReason =
  | 'recording-late'
  | 'recording-never-arrived'
  | 'not-a-ctr'
  | 'access-denied'
  | 'too-many-tags'
  | 'no-such-bucket'
  | 'invalid-tag';

/** Reasons that a retry cannot fix by waiting: the cause must be fixed, then `ctr:redrive` run. */
export type ParkReason = Exclude<FailureReason, 'recording-late'>;

/** Where the CTR came from, so an operator can find it in the stream too. */
export interface FailureSource {
  readonly streamArn?: string;
  readonly shardId?: string;
  readonly sequenceNumber?: string;
}

const FailureMessageSchema = z.strictObject({
  version: z.literal(1),
  reason: z.enum([
    'recording-late',
    'recording-never-arrived',
    'not-a-ctr',
    'access-denied',
    'too-many-tags',
    'no-such-bucket',
    'invalid-tag',
  ]),
  detail: z.string(),
  firstFailedAt: z.iso.datetime(),
  attempt: z.number().check(z.int(), z.nonnegative()),
  source: z.object({
    streamArn: z.optional(z.string()),
    shardId: z.optional(z.string()),
    sequenceNumber: z.optional(z.string()),
  }),
  ctr: z.optional(z.record(z.string(), z.unknown())),
  data: z.optional(z.string()),
  plan: z.optional(
    z.object({
      contactId: z.string(),
      operations: z.array(z.object({ bucket: z.string(), key: z.string(), tagKey: z.string(), value: z.string() })),
    }),
  ),
});

/**
 * One message of the retry queue or the dead-letter queue: the CTR itself (or, when it was no CTR,
 * the record's data), its tag plan, why it failed and since when. Both queues and `ctr:redrive`
 * read this one shape.
 */
export type FailureMessage = z.output<typeof FailureMessageSchema>;

/** Parses a queue message body, or throws one sentence saying why it is not a failure message. */
export function parseFailureMessage(body: string): FailureMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error('The message is not JSON, so it is not a CTR failure message.');
  }
  const result = FailureMessageSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`The message is not a CTR failure message: ${issue.path.join('.') || '(root)'} ${issue.message}.`);
  }
  return result.data;
}

/** The first retry waits this long; each next one twice as long, up to {@link MAX_RETRY_DELAY_SECONDS}. */
export const FIRST_RETRY_DELAY_SECONDS = 60;
/** SQS delays a message at most 15 minutes. */
export const MAX_RETRY_DELAY_SECONDS = 900;

/** Delay before retry number `attempt` (1-based): 60 s, 120 s, ... doubling, capped at 15 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, FIRST_RETRY_DELAY_SECONDS * 2 ** Math.max(0, attempt - 1));
}

/** What to do with a CTR whose recording is still missing. */
export type LateDecision =
  | { readonly action: 'retry'; readonly delaySeconds: number; readonly message: FailureMessage }
  | { readonly action: 'park'; readonly message: FailureMessage };

/**
 * A late recording is retried with doubling delays until `lateRecordingHours` after the CTR first
 * failed; after that it is parked as `recording-never-arrived`, CTR and plan included.
 */
export function decideLate(
  message: FailureMessage,
  now: Date,
  lateRecordingHours: number,
  detail: string,
): LateDecision {
  const deadline = Date.parse(message.firstFailedAt) + lateRecordingHours * 3600_000;
  if (now.getTime() >= deadline) {
    return {
      action: 'park',
      message: {
        ...message,
        reason: 'recording-never-arrived',
        detail: `${detail} It was retried for ${lateRecordingHours} hours.`,
      },
    };
  }
  const attempt = message.attempt + 1;
  const delaySeconds = Math.max(1, Math.min(retryDelaySeconds(attempt), Math.ceil((deadline - now.getTime()) / 1000)));
  return { action: 'retry', delaySeconds, message: { ...message, reason: 'recording-late', detail, attempt } };
}

/** A new failure message for a CTR (or a record that is not one) as it first fails. */
export function firstFailure(input: {
  readonly reason: FailureReason;
  readonly detail: string;
  readonly now: Date;
  readonly source: FailureSource;
  readonly ctr?: Record<string, unknown>;
  readonly data?: string;
  readonly plan?: TagPlan;
}): FailureMessage {
  return {
    version: 1,
    reason: input.reason,
    detail: input.detail,
    firstFailedAt: input.now.toISOString(),
    attempt: 0,
    source: input.source,
    ...(input.ctr ? { ctr: input.ctr } : {}),
    ...(input.ctr ? {} : input.data !== undefined ? { data: input.data } : {}),
    ...(input.plan ? { plan: { contactId: input.plan.contactId, operations: input.plan.operations } } : {}),
  };
}

/** The outcome of one failed tag operation, classified. */
export type Classified =
  | { readonly kind: 'late'; readonly detail: string }
  | { readonly kind: 'park'; readonly reason: ParkReason; readonly detail: string }
  | { readonly kind: 'transient' };

/**
 * Sorts an error of a tag operation: a missing recording is late; errors that retrying the same
 * request cannot fix (access denied, 10 tags, no such bucket, a tag S3 refuses) are parked; anything
 * else (throttling past the SDK's retries, 5xx, the network) is transient and fails the record, so
 * Kinesis retries it and, past its retries, the on-failure queue keeps the shard range.
 */
export function classifyError(error: unknown): Classified {
  const name = (error as { name?: string } | undefined)?.name;
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'RecordingMissingError':
      return { kind: 'late', detail };
    case 'AccessDenied':
      return { kind: 'park', reason: 'access-denied', detail: `S3 answered AccessDenied: ${detail}` };
    case 'TooManyTagsError':
      return { kind: 'park', reason: 'too-many-tags', detail };
    case 'NoSuchBucket':
      return { kind: 'park', reason: 'no-such-bucket', detail: `S3 answered NoSuchBucket: ${detail}` };
    case 'InvalidTag':
      return { kind: 'park', reason: 'invalid-tag', detail: `S3 answered InvalidTag: ${detail}` };
    default:
      return { kind: 'transient' };
  }
}
