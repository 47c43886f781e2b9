import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readFailureQueueUrls, sqsFailureQueues } from './failure-queues';
import { readSettings } from './settings';
import { createHandler } from './tagger';

/** Tags each CTR's recordings with its retention class; Kinesis event in, `{ batchItemFailures }` out. */
export const handler = createHandler({
  s3: new S3Client({}),
  settings: readSettings(process.env),
  queues: sqsFailureQueues(new SQSClient({}), readFailureQueueUrls(process.env)),
});
