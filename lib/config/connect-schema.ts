import { z } from 'zod';

/** Key prefix of Connect's recordings in the archive bucket when `recordIntoArchive` is on. */
export const CONNECT_ARCHIVE_PREFIX = 'connect/';
/** What the instance is told to write under (Connect adds `YYYY/MM/DD/` after it). */
export const CONNECT_ARCHIVE_BUCKET_PREFIX = 'connect/CallRecordings';

const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/;
const QUEUE_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}\/queue\/[0-9a-f-]{36}$/;

/** The Connect retention stack: CTR stream, tagging function, lifecycle on an existing Connect bucket. */
export const ConnectSchema = z
  .object({
    /**
     * ARN of the Connect instance. With it and no `existingStreamArn`, the stack associates the stream
     * it creates with the instance for contact trace records; `demoFlow` and `recordIntoArchive` need it.
     */
    instanceArn: z
      .string()
      .regex(INSTANCE_ARN, 'must be a Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/ID)')
      .optional(),
    /** An example contact flow that records, asks for a retention class (1 or 2) and transfers to this queue. */
    demoFlow: z
      .object({
        queueArn: z
          .string()
          .regex(QUEUE_ARN, 'must be a Connect queue ARN (arn:aws:connect:REGION:ACCOUNT:instance/ID/queue/ID)'),
      })
      .strict()
      .optional(),
    /** Connect writes its call recordings into the archive bucket under `connect/`, with the archive key. */
    recordIntoArchive: z.boolean().default(false),
    /** Hours a CTR whose recording has not reached S3 is retried from the retry queue before it is parked (1-168). */
    lateRecordingHours: z.number().int().min(1).max(168).default(24),
    /** ARN of the Kinesis stream Connect already sends CTRs to (Connect streams to one stream only). */
    existingStreamArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]+$/, 'must be a Kinesis stream ARN')
      .optional(),
    /** Full ARN of the KMS key that encrypts the existing stream, so the function may decrypt it. */
    existingStreamKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, 'must be a full KMS key ARN, never an alias')
      .optional(),
    /** Shards of the stream this app creates, or of the existing stream (sizes the function's reserved concurrency). */
    shardCount: z.number().int().positive().default(1),
    /** An existing Connect recording bucket (not owned by this app) that gets tag-filtered lifecycle rules. */
    existingRecordingBucket: z
      .object({
        bucketName: z.string().regex(/^[a-z0-9.-]{3,63}$/, 'must be an S3 bucket name'),
        /**
         * Prefix of Connect's recordings in that bucket, ending with `/`. Segments are S3's safe
         * characters only: `*`, `?` and `$` would be wildcards or variables in the IAM grants on
         * the prefix, while S3 lifecycle filters read them literally.
         */
        prefix: z
          .string()
          .regex(
            /^([A-Za-z0-9!_.'()=-]+\/)+$/,
            "must be path segments of letters, digits and !_.'()=- each ending with '/'",
          ),
        /** Days a noncurrent version of a tagged recording is kept when that bucket is versioned. */
        noncurrentVersionExpirationDays: z.number().int().positive().default(1),
      })
      .strict()
      .optional(),
    /** Records per Lambda invocation (1-10,000). */
    batchSize: z.number().int().min(1).max(10000).default(100),
    /** Concurrent batches per shard (1-10). */
    parallelizationFactor: z.number().int().min(1).max(10).default(1),
    /** Retries of a failing batch before its records go to the dead-letter queue (0-10,000). */
    retryAttempts: z.number().int().min(0).max(10000).default(5),
    /** Records older than this go to the dead-letter queue unprocessed (1-168 hours). */
    maxRecordAgeHours: z.number().int().min(1).max(168).default(24),
    /** Records of one batch tagged at the same time by one invocation. */
    tagConcurrency: z.number().int().min(1).max(256).default(50),
    /** Reads of a recording that is not in S3 yet (it may land after the CTR) before the record fails. */
    missingObjectAttempts: z.number().int().min(1).max(10).default(6),
    /** First wait before reading a missing recording again; doubles on each attempt. */
    missingObjectDelayMs: z.number().int().min(1).max(10000).default(500),
  })
  .strict()
  .superRefine((connect, ctx) => {
    for (const field of ['demoFlow', 'recordIntoArchive'] as const) {
      if (connect[field] && !connect.instanceArn) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `needs connect.instanceArn: set the ARN of the Connect instance, or remove ${field}`,
        });
      }
    }
    if (
      connect.demoFlow &&
      connect.instanceArn &&
      !connect.demoFlow.queueArn.startsWith(`${connect.instanceArn}/queue/`)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['demoFlow', 'queueArn'],
        message: 'must be a queue of connect.instanceArn',
      });
    }
  });
