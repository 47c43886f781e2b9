import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClassLock, readClassDays } from './class-lock';
import { readFailureQueueUrls, sqsFailureQueues } from './failure-queues';
import { readLateRecordingHours, readSettings } from './settings';
import { createRetryHandler } from './retry-consumer';

/** Tags the recordings of CTRs from the retry queue; SQS event in, `{ batchItemFailures }` out. */
const s3 = new S3Client({});

export const handler = createRetryHandler({
  s3,
  settings: readSettings(process.env),
  queues: sqsFailureQueues(new SQSClient({}), readFailureQueueUrls(process.env)),
  lateRecordingHours: readLateRecordingHours(process.env),
  classLock: process.env.RETENTION_CLASS_DAYS ? createClassLock(s3, readClassDays(process.env)) : undefined,
});
