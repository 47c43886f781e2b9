import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { createLimit } from '../shared/limit';
import type { ClassLock } from './class-lock';
import { FailureQueues } from './failure-queues';
import { decideLate, FailureMessage, firstFailure, parseFailureMessage } from './failures';
import { createSequencer } from './sequence';
import { TaggerSettings } from './settings';
import { tagPlan } from './tag-plan';
import { orderingKeys, planRecord } from './tagger';

/** What the retry consumer is built from. */
export interface RetryConsumerDependencies {
  readonly s3: S3Client;
  readonly settings: TaggerSettings;
  readonly queues: FailureQueues;
  /** Hours after its first failure that a late recording is still waited for. */
  readonly lateRecordingHours: number;
  /**
   * After a recording is tagged, lock it until its class's expiration day (buckets with Object Lock).
   * @default - no lock
   */
  readonly classLock?: ClassLock;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The plan of a message: the one it carries, else planned again from its CTR. */
function planOf(message: FailureMessage, settings: TaggerSettings) {
  if (message.plan) return message.plan;
  const planned = planRecord(JSON.stringify(message.ctr ?? {}), settings);
  return 'error' in planned ? undefined : planned.plan;
}

/**
 * One retry-queue message: tags its plan with a single read per recording (the wait is the queue's
 * delay). Still missing: back on the retry queue with twice the delay (at most 15 minutes), or
 * parked as `recording-never-arrived` once `lateRecordingHours` have passed. A cause a retry cannot
 * fix parks it. Transient errors throw: SQS delivers the message again, and after the queue's
 * receive limit its redrive policy moves it, unchanged, to the dead-letter queue.
 */
export function createRetryRecordHandler({
  s3,
  settings,
  queues,
  lateRecordingHours,
  classLock,
  now = () => new Date(),
}: RetryConsumerDependencies): (record: SQSRecord) => Promise<void> {
  const retry = { attempts: 1, delayMs: 1 };
  const limit = createLimit(settings.concurrency);
  const inOrder = createSequencer();
  return async (record) => {
    let message: FailureMessage;
    try {
      message = parseFailureMessage(record.body);
    } catch (error) {
      logger.error('Retry message is unreadable; parked', {
        messageId: record.messageId,
        detail: (error as Error).message,
      });
      await queues.park(
        firstFailure({
          reason: 'not-a-ctr',
          detail: (error as Error).message,
          now: now(),
          source: {},
          data: record.body,
        }),
      );
      return;
    }
    const plan = planOf(message, settings);
    if (!plan) {
      await queues.park({
        ...message,
        reason: 'not-a-ctr',
        detail: 'The retry message holds no tag plan and no CTR that can be planned.',
      });
      return;
    }
    const outcome = await inOrder(orderingKeys(plan), () => limit(() => tagPlan(s3, plan, retry, classLock)));
    if (outcome.status === 'tagged') {
      logger.info('Late recording tagged from the retry queue', {
        contactId: plan.contactId,
        attempt: message.attempt,
      });
      return;
    }
    if (outcome.status === 'park') {
      logger.error('CTR parked in the dead-letter queue', {
        contactId: plan.contactId,
        reason: outcome.reason,
        detail: outcome.detail,
      });
      await queues.park({ ...message, reason: outcome.reason, detail: outcome.detail });
      return;
    }
    const decision = decideLate(message, now(), lateRecordingHours, outcome.detail);
    if (decision.action === 'park') {
      logger.error('Recording never arrived; CTR parked in the dead-letter queue', {
        contactId: plan.contactId,
        attempt: message.attempt,
      });
      await queues.park(decision.message);
    } else {
      await queues.retry(decision.message, decision.delaySeconds);
    }
  };
}

/** The SQS handler of the retry queue: partial batch responses, so one message's failure redelivers it alone. */
export function createRetryHandler(
  deps: RetryConsumerDependencies,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const handle = createRetryRecordHandler(deps);
  const recordHandler = (record: SQSRecord) =>
    handle(record).catch((error: unknown) => {
      logger.error('Retry message failed', { messageId: record.messageId, error });
      throw error;
    });
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context });
}
