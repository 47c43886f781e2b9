import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readFailureQueueUrls, sqsFailureQueues } from './failure-queues';
import { readLateRecordingHours, readSettings } from './settings';
import { createRetryHandler } from './retry-consumer';

/** Tags the recordings of CTRs from the retry queue; SQS event in, `{ batchItemFailures }` out. */
export const handler = createRetryHandler({
  s3: new S3Client({}),
  settings: readSettings(process.env),
  queues: sqsFailureQueues(new SQSClient({}), readFailureQueueUrls(process.env)),
  lateRecordingHours: readLateRecordingHours(process.env),
});
