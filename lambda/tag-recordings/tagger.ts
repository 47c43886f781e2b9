import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { ClassLock } from './class-lock';
import { createLimit } from '../shared/limit';
import { Ctr, parseCtr, planTags, TagPlan } from './ctr';
import { FailureQueues } from './failure-queues';
import { FailureMessage, FailureSource, firstFailure, FIRST_RETRY_DELAY_SECONDS } from './failures';
import { createSequencer } from './sequence';
import { TaggerSettings } from './settings';
import { PlanOutcome, tagPlan } from './tag-plan';

/** What the tagging handler is built from. */
export interface TaggerDependencies {
  readonly s3: S3Client;
  readonly settings: TaggerSettings;
  /** Where late and unfixable CTRs go instead of failing the shard. */
  readonly queues: FailureQueues;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * After a recording is tagged, lock it until its class's expiration day (buckets with Object Lock).
   * @default - no lock
   */
  readonly classLock?: ClassLock;
}

/** The keys whose records must run one after another: the contact and every object it tags. */
export function orderingKeys(plan: Pick<TagPlan, 'contactId' | 'operations'>): string[] {
  return [`contact:${plan.contactId}`, ...plan.operations.map((op) => `object:${op.bucket}/${op.key}`)];
}

/** Parses and plans one CTR, logging defaults and deleted recordings; a failure says why, for parking. */
export function planRecord(
  data: string,
  settings: TaggerSettings,
): { ctr: Ctr; plan: TagPlan } | { error: string; ctr?: Ctr } {
  let ctr: Ctr;
  try {
    ctr = parseCtr(data);
  } catch (error) {
    return { error: (error as Error).message };
  }
  let plan: TagPlan;
  try {
    plan = planTags(ctr, settings);
  } catch (error) {
    return { error: (error as Error).message, ctr };
  }
  if (plan.defaulted) {
    logger.warn('Contact names no configured retention class; using the default class', {
      contactId: plan.contactId,
      requested: plan.defaulted.requested,
      reason: plan.defaulted.reason,
      defaultClass: settings.defaultClass,
    });
  }
  if (plan.deleted) {
    logger.info('Skipping recordings Connect reports DELETED', { contactId: plan.contactId, locations: plan.deleted });
  }
  return { ctr, plan };
}

/** Hands a late or unfixable CTR to its queue; a tagged one needs nothing. */
export async function settle(
  queues: FailureQueues,
  outcome: PlanOutcome,
  base: Omit<Parameters<typeof firstFailure>[0], 'reason' | 'detail'>,
): Promise<void> {
  if (outcome.status === 'tagged') return;
  if (outcome.status === 'late') {
    const message: FailureMessage = {
      ...firstFailure({ ...base, reason: 'recording-late', detail: outcome.detail }),
      attempt: 1,
    };
    logger.warn('Recording not in S3 yet; the CTR goes to the retry queue', {
      contactId: message.plan?.contactId,
      delaySeconds: FIRST_RETRY_DELAY_SECONDS,
    });
    await queues.retry(message, FIRST_RETRY_DELAY_SECONDS);
    return;
  }
  logger.error('CTR parked in the dead-letter queue', {
    contactId: base.plan?.contactId,
    reason: outcome.reason,
    detail: outcome.detail,
  });
  await queues.park(firstFailure({ ...base, reason: outcome.reason, detail: outcome.detail }));
}

/**
 * The per-record function: tags every recording of one CTR. The record is parsed as soon as the
 * function is called (once); its S3 calls then wait until every earlier record of the same contact
 * or object has finished, so two CTRs of one contact in one batch tag in stream order and the newer
 * class wins, and finally pass the bounded-concurrency gate shared with the other contacts.
 *
 * Nothing blocks the shard for long: a recording still missing after the short in-handler wait goes
 * to the retry queue with its CTR and plan; a record that is no CTR, or whose tagging S3 refuses for
 * a reason a retry cannot fix, is parked with its payload. Only transient errors (and a failed queue
 * send) throw, failing this record alone for Kinesis to retry.
 */
export function createRecordHandler({
  s3,
  settings,
  queues,
  classLock,
  now = () => new Date(),
}: TaggerDependencies): (record: KinesisStreamRecord) => Promise<void> {
  const retry = { attempts: settings.missingObjectAttempts, delayMs: settings.missingObjectDelayMs };
  const limit = createLimit(settings.concurrency);
  const inOrder = createSequencer();
  return async (record) => {
    // Everything up to the sequencer runs synchronously, in the order the records are handed in.
    const data = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
    const source: FailureSource = {
      streamArn: record.eventSourceARN,
      shardId: record.eventID.split(':')[0],
      sequenceNumber: record.kinesis.sequenceNumber,
    };
    const planned = planRecord(data, settings);
    if ('error' in planned) {
      logger.error('Record is no taggable CTR; parked in the dead-letter queue', {
        sequenceNumber: source.sequenceNumber,
        detail: planned.error,
      });
      await queues.park(
        firstFailure({ reason: 'not-a-ctr', detail: planned.error, now: now(), source, ctr: planned.ctr, data }),
      );
      return;
    }
    const { ctr, plan } = planned;
    if (plan.operations.length === 0) return;
    // A contact's recordings are few and distinct; tag them together.
    const outcome = await inOrder(orderingKeys(plan), () => limit(() => tagPlan(s3, plan, retry, classLock)));
    await settle(queues, outcome, { now: now(), source, ctr, plan });
  };
}

/**
 * The Kinesis handler: a Powertools BatchProcessor over the CTRs of one batch, records of the same
 * contact or object one after another in stream order, the rest through a bounded-concurrency
 * gate, failed records reported as `batchItemFailures`.
 */
export function createHandler(
  deps: TaggerDependencies,
): (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse> {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const tagRecord = createRecordHandler(deps);
  const recordHandler = (record: KinesisStreamRecord) =>
    tagRecord(record).catch((error: unknown) => {
      logger.error('Record failed', { sequenceNumber: record.kinesis.sequenceNumber, error });
      throw error;
    });
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context });
}
