import * as z from '../shared/zod';
import { logger } from '../shared/logger';
import { RetagDependencies, retagRecording, RetagResult } from './retag';

/** The `UserArguments` key that carries the retention class of a re-tag job. */
export const RETAG_CLASS_ARGUMENT = 'retentionClass';

/** An S3 Batch Operations LambdaInvoke event, invocation schema 2.0 (bucket names, user arguments). */
const EventSchema = z.object({
  invocationSchemaVersion: z.literal('2.0'),
  invocationId: z.string().check(z.minLength(1)),
  job: z.object({
    id: z.string(),
    userArguments: z.nullish(z.record(z.string(), z.string())),
  }),
  tasks: z.array(
    z.object({
      taskId: z.string().check(z.minLength(1)),
      s3Bucket: z.string().check(z.minLength(1)),
      s3Key: z.string().check(z.minLength(1)),
      s3VersionId: z.nullish(z.string()),
    }),
  ),
});

/** A Batch Operations event as the handler reads it. */
export type BatchRetagEvent = z.input<typeof EventSchema>;

/** The response schema 2.0 expects: one result per task. */
export interface BatchRetagResponse {
  readonly invocationSchemaVersion: '2.0';
  readonly treatMissingKeysAs: 'PermanentFailure';
  readonly invocationId: string;
  readonly results: readonly ({ readonly taskId: string } & RetagResult)[];
}

/** Manifest keys reach the function URL-encoded, as they are written in a CSV manifest. */
function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The S3 Batch Operations handler of `npm run archive -- retag`: each task is one Connect recording,
 * re-tagged with the class in the job's `UserArguments.retentionClass` by {@link retagRecording}
 * (merge, then lock, as the CTR tagger does). A task that names a version is refused: the class
 * applies to the current version, so the CLI writes Bucket,Key manifests. An event that is not
 * schema 2.0 fails the invocation with one sentence, since no result can be matched to its tasks.
 */
export function createBatchRetagHandler(deps: RetagDependencies): (event: unknown) => Promise<BatchRetagResponse> {
  return async (event) => {
    const parsed = EventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `The event is not an S3 Batch Operations invocation of schema 2.0: ${issue.path.join('.') || '(root)'} ${issue.message}; create the job with InvocationSchemaVersion 2.0.`,
      );
    }
    const { invocationId, job, tasks } = parsed.data;
    const className = job.userArguments?.[RETAG_CLASS_ARGUMENT];
    const results = await Promise.all(
      tasks.map(async (task): Promise<{ taskId: string } & RetagResult> => {
        const key = decodeKey(task.s3Key);
        if (className === undefined)
          return {
            taskId: task.taskId,
            resultCode: 'PermanentFailure',
            resultString: `The job has no UserArguments.${RETAG_CLASS_ARGUMENT}; create it with npm run archive -- retag.`,
          };
        if (task.s3VersionId)
          return {
            taskId: task.taskId,
            resultCode: 'PermanentFailure',
            resultString: `The task names version ${task.s3VersionId}; a retention class applies to the current version, so list Bucket,Key only.`,
          };
        const result = await retagRecording(deps, task.s3Bucket, key, className);
        if (result.resultCode !== 'Succeeded')
          logger.warn('Re-tag task failed', { jobId: job.id, bucket: task.s3Bucket, key, ...result });
        return { taskId: task.taskId, ...result };
      }),
    );
    return { invocationSchemaVersion: '2.0', treatMissingKeysAs: 'PermanentFailure', invocationId, results };
  };
}
