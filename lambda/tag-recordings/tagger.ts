import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { parseCtr, planTags, TagPlan } from './ctr';
import { createLimit } from '../shared/limit';
import { applyTag } from './s3-tagger';
import { createSequencer } from './sequence';
import { TaggerSettings } from './settings';

/** What the tagging handler is built from. */
export interface TaggerDependencies {
  readonly s3: S3Client;
  readonly settings: TaggerSettings;
}

/** The keys whose records must run one after another: the contact and every object it tags. */
function orderingKeys(plan: TagPlan): string[] {
  return [`contact:${plan.contactId}`, ...plan.operations.map((op) => `object:${op.bucket}/${op.key}`)];
}

/**
 * The per-record function: tags every recording of one CTR, or throws to fail that record alone.
 * The record is parsed as soon as the function is called (once); its S3 calls then wait until
 * every earlier record of the same contact or object has finished, so two CTRs of one contact in
 * one batch (Connect re-sends a CTR when its attributes change) tag in stream order and the newer
 * class wins, and finally pass the bounded-concurrency gate shared with the other contacts. The
 * batch processor calls it for the records of a batch in stream order, which is the order kept.
 */
export function createRecordHandler({ s3, settings }: TaggerDependencies): (record: KinesisStreamRecord) => Promise<void> {
  const retry = { attempts: settings.missingObjectAttempts, delayMs: settings.missingObjectDelayMs };
  const limit = createLimit(settings.concurrency);
  const inOrder = createSequencer();
  return async (record) => {
    // Everything up to the sequencer runs synchronously, in the order the records are handed in.
    const ctr = parseCtr(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    const plan = planTags(ctr, settings);
    if (plan.defaulted) {
      logger.warn('Contact names no configured retention class; using the default class', {
        contactId: plan.contactId,
        requested: plan.defaulted.requested,
        reason: plan.defaulted.reason,
        defaultClass: settings.defaultClass,
      });
    }
    if (plan.operations.length === 0) return;
    // A contact's recordings are few and distinct; tag them together.
    await inOrder(orderingKeys(plan), () => limit(() => Promise.all(plan.operations.map((op) => applyTag(s3, op, retry)))));
  };
}

/**
 * The Kinesis handler: a Powertools BatchProcessor over the CTRs of one batch, records of the same
 * contact or object one after another in stream order, the rest through a bounded-concurrency
 * gate, failed records reported as `batchItemFailures`.
 */
export function createHandler(deps: TaggerDependencies): (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse> {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const tagRecord = createRecordHandler(deps);
  const recordHandler = (record: KinesisStreamRecord) =>
    tagRecord(record).catch((error: unknown) => {
      logger.error('Record failed', { sequenceNumber: record.kinesis.sequenceNumber, error });
      throw error;
    });
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context });
}
