import { S3Client } from '@aws-sdk/client-s3';
import type { ClassLock } from './class-lock';
import { tagPlan } from './tag-plan';

/** S3 Batch Operations' per-task result codes (LambdaInvoke). */
export type TaskResultCode = 'Succeeded' | 'TemporaryFailure' | 'PermanentFailure';

/** What re-tagging one recording came to, in the words of a Batch Operations task result. */
export interface RetagResult {
  readonly resultCode: TaskResultCode;
  readonly resultString: string;
}

/** A bucket and the prefix of Connect recordings in it, ending with `/`. */
export interface RetagLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** What re-tagging needs: the client, the tag key, the classes, and the lock after tagging. */
export interface RetagDependencies {
  readonly s3: S3Client;
  readonly tagKey: string;
  /** Configured class names. */
  readonly classes: readonly string[];
  /** Where re-tagging is allowed: Connect's recording prefixes. */
  readonly locations: readonly RetagLocation[];
  /** Locks each re-tagged recording until its class's day where the bucket has Object Lock. @default - no lock */
  readonly classLock?: ClassLock;
}

/** Why a class or an object cannot be re-tagged at all (the same for every retry), or undefined. */
export function refuseRetag(
  deps: RetagDependencies,
  bucket: string,
  key: string,
  className: string,
): string | undefined {
  if (!deps.classes.includes(className))
    return `The retention class '${className}' is not one of ${deps.classes.join(', ')}.`;
  if (!deps.locations.some((l) => l.bucket === bucket && key.startsWith(l.prefix)))
    return `s3://${bucket}/${key} is outside the Connect recording prefixes (${deps.locations.map((l) => `s3://${l.bucket}/${l.prefix}`).join(', ')}); only Connect recordings are re-tagged.`;
  return undefined;
}

/**
 * Sets one Connect recording's retention class with the tagger's own logic (`tagPlan`): the tag is
 * merged into the object's other tags (never the replace-all write, G1), and with a class lock the
 * recording is then locked until the new class's day, lengthening a lock and never shortening it.
 * A missing object and errors a retry cannot fix are permanent; anything else (throttling, 5xx) is
 * temporary, for Batch Operations to retry.
 */
export async function retagRecording(
  deps: RetagDependencies,
  bucket: string,
  key: string,
  className: string,
): Promise<RetagResult> {
  const refused = refuseRetag(deps, bucket, key, className);
  if (refused) return { resultCode: 'PermanentFailure', resultString: refused };
  const op = { bucket, key, tagKey: deps.tagKey, value: className };
  try {
    // One read: the recording exists or it does not; re-tagging never waits for a late upload.
    const outcome = await tagPlan(deps.s3, { operations: [op] }, { attempts: 1, delayMs: 1 }, deps.classLock);
    if (outcome.status === 'tagged')
      return {
        resultCode: 'Succeeded',
        resultString: `${deps.tagKey}=${className} ${outcome.written > 0 ? 'written' : 'already set'}`,
      };
    if (outcome.status === 'late')
      return { resultCode: 'PermanentFailure', resultString: `The recording s3://${bucket}/${key} is not in S3.` };
    return { resultCode: 'PermanentFailure', resultString: outcome.detail };
  } catch (error) {
    const e = error as { name?: string; message?: string };
    return { resultCode: 'TemporaryFailure', resultString: `${e.name ?? 'Error'}: ${e.message ?? 'no message'}` };
  }
}
