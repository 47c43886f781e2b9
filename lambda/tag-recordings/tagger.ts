import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { parseCtr, planTags } from './ctr';
import { createLimit } from './limit';
import { applyTag } from './s3-tagger';
import { TaggerSettings } from './settings';

/** What the tagging handler is built from. */
export interface TaggerDependencies {
  readonly s3: S3Client;
  readonly settings: TaggerSettings;
}

/** The per-record function: tags every recording of one CTR, or throws to fail that record alone. */
export function createRecordHandler({ s3, settings }: TaggerDependencies): (record: KinesisStreamRecord) => Promise<void> {
  const retry = { attempts: settings.missingObjectAttempts, delayMs: settings.missingObjectDelayMs };
  return async (record) => {
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
    // A contact's recordings are few; tag them together.
    await Promise.all(plan.operations.map((op) => applyTag(s3, op, retry)));
  };
}

/**
 * The Kinesis handler: a Powertools BatchProcessor over the CTRs of one batch, each record
 * through a bounded-concurrency gate, failed records reported as `batchItemFailures`.
 */
export function createHandler(deps: TaggerDependencies): (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse> {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const limit = createLimit(deps.settings.concurrency);
  const tagRecord = createRecordHandler(deps);
  const recordHandler = (record: KinesisStreamRecord) =>
    limit(() =>
      tagRecord(record).catch((error: unknown) => {
        logger.error('Record failed', { sequenceNumber: record.kinesis.sequenceNumber, error });
        throw error;
      }),
    );
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context });
}
