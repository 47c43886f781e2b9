import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClassLock, readClassDays } from './class-lock';
import { readFailureQueueUrls, sqsFailureQueues } from './failure-queues';
import { readSettings } from './settings';
import { createHandler } from './tagger';

const s3 = new S3Client({});

/** Tags each CTR's recordings with its retention class (and locks them until its day); Kinesis event in, `{ batchItemFailures }` out. */
export const handler = createHandler({
  s3,
  settings: readSettings(process.env),
  queues: sqsFailureQueues(new SQSClient({}), readFailureQueueUrls(process.env)),
  classLock: process.env.RETENTION_CLASS_DAYS ? createClassLock(s3, readClassDays(process.env)) : undefined,
});
