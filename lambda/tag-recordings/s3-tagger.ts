import { GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { TagOperation } from './ctr';
import { mergeTag, Tag } from './tag-set';

/** How long to wait for a recording that reaches S3 after its CTR. */
export interface MissingObjectRetry {
  /** Reads before giving up. */
  readonly attempts: number;
  /** First wait, doubled after each read. */
  readonly delayMs: number;
}

/** What one tag operation did. */
export type TagOutcome = 'written' | 'unchanged';

/** The recording was still not in S3 after every read: it may yet arrive (it is retried later), or never. */
export class RecordingMissingError extends Error {
  override readonly name = 'RecordingMissingError';
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isNoSuchKey(error: unknown): boolean {
  return error instanceof Error && error.name === 'NoSuchKey';
}

async function readTags(s3: S3Client, op: TagOperation, retry: MissingObjectRetry): Promise<Tag[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await s3.send(new GetObjectTaggingCommand({ Bucket: op.bucket, Key: op.key }));
      return (result.TagSet ?? []).map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' }));
    } catch (error) {
      if (!isNoSuchKey(error)) throw error;
      if (attempt >= retry.attempts) {
        throw new RecordingMissingError(
          `${op.bucket}/${op.key}`,
          `The recording s3://${op.bucket}/${op.key} was still missing after ${retry.attempts} reads.`,
        );
      }
      await wait(retry.delayMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * Sets one retention tag: GetObjectTagging, then PutObjectTagging with the merged set (G1), and
 * no write when the tag is already right, so a redelivered CTR costs one read per recording.
 * Throttling and other transient errors are retried by the SDK's own retry strategy. The read and
 * the write are not atomic: callers run operations on the same object one after another (the
 * tagger orders them by contact and object key), or the older read can overwrite the newer class.
 * A missing key is NoSuchKey only with `s3:ListBucket` on the prefix; without it S3 answers
 * AccessDenied, which is not waited for.
 */
export async function applyTag(s3: S3Client, op: TagOperation, retry: MissingObjectRetry): Promise<TagOutcome> {
  const merged = mergeTag(await readTags(s3, op, retry), op.tagKey, op.value);
  if (!merged) return 'unchanged';
  await s3.send(new PutObjectTaggingCommand({ Bucket: op.bucket, Key: op.key, Tagging: { TagSet: merged } }));
  return 'written';
}
