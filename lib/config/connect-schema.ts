import { z } from 'zod';

/** The Connect retention stack: CTR stream, tagging function, lifecycle on an existing Connect bucket. */
export const ConnectSchema = z
  .object({
    /** ARN of the Kinesis stream Connect already sends CTRs to (Connect streams to one stream only). */
    existingStreamArn: z.string().optional(),
    /** Shards of the stream this app creates when no existing stream is given. */
    shardCount: z.number().int().positive().default(1),
    /** An existing Connect recording bucket (not owned by this app) that gets tag-filtered lifecycle rules. */
    existingRecordingBucket: z
      .object({
        bucketName: z.string().regex(/^[a-z0-9.-]{3,63}$/, 'must be an S3 bucket name'),
        /** Prefix of Connect's recordings in that bucket, ending with `/`. */
        prefix: z.string().regex(/^([^/]+\/)+$/, "must end with '/'"),
      })
      .strict()
      .optional(),
    /** Records per Lambda invocation (1-10,000). */
    batchSize: z.number().int().min(1).max(10000).default(100),
    /** Concurrent batches per shard (1-10). */
    parallelizationFactor: z.number().int().min(1).max(10).default(1),
  })
  .strict();
