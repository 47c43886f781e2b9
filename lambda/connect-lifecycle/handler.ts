import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  TransitionDefaultMinimumObjectSize,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as z from '../shared/zod';
import { logger } from '../shared/logger';
import { mergeRules, removeOwnRules } from './merge';

/** The custom resource's properties (CloudFormation passes every value as a string). */
const PropertiesSchema = z.object({
  BucketName: z.string().check(z.minLength(3)),
  RuleIdPrefix: z.string().check(z.minLength(1)),
  /** JSON array of this app's rules, every ID starting with RuleIdPrefix. */
  Rules: z.string(),
  /** The bucket's region when it is not the function's (an existing replica bucket). */
  Region: z.optional(z.string()),
});

const tag = z.object({ Key: z.string(), Value: z.string() });

/**
 * The shapes of the rules this app writes: tag-filtered class expirations, the untagged fallback,
 * and (for an existing replica) the archive's window rule with transitions and its cleanup rule.
 */
const RulesSchema = z.array(
  z.strictObject({
    ID: z.string(),
    Status: z.literal('Enabled'),
    Filter: z.union([
      z.strictObject({ Prefix: z.string() }),
      z.strictObject({ And: z.strictObject({ Prefix: z.string(), Tags: z.array(tag).check(z.minLength(1)) }) }),
    ]),
    Transitions: z.optional(
      z.array(
        z.strictObject({
          Days: z.number().check(z.int(), z.positive()),
          StorageClass: z.enum(['STANDARD_IA', 'GLACIER', 'DEEP_ARCHIVE']),
        }),
      ),
    ),
    Expiration: z.optional(
      z.union([
        z.strictObject({ Days: z.number().check(z.int(), z.positive()) }),
        z.strictObject({ ExpiredObjectDeleteMarker: z.literal(true) }),
      ]),
    ),
    NoncurrentVersionExpiration: z.optional(z.object({ NoncurrentDays: z.number().check(z.int(), z.positive()) })),
    AbortIncompleteMultipartUpload: z.optional(
      z.strictObject({ DaysAfterInitiation: z.number().check(z.int(), z.positive()) }),
    ),
  }),
);

/** What the Provider framework expects back. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

interface BucketLifecycle {
  readonly rules: LifecycleRule[];
  readonly minimumObjectSize?: TransitionDefaultMinimumObjectSize;
}

async function readLifecycle(s3: S3Client, bucket: string): Promise<BucketLifecycle> {
  try {
    const result = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return { rules: result.Rules ?? [], minimumObjectSize: result.TransitionDefaultMinimumObjectSize };
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchLifecycleConfiguration') return { rules: [] };
    throw error;
  }
}

async function writeLifecycle(s3: S3Client, bucket: string, lifecycle: BucketLifecycle): Promise<void> {
  if (lifecycle.rules.length === 0) {
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    return;
  }
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: lifecycle.rules },
      // Keep the owner's choice; leaving it out would reset it to S3's default.
      TransitionDefaultMinimumObjectSize: lifecycle.minimumObjectSize,
    }),
  );
}

/**
 * onEvent of the lifecycle custom resource on a bucket this app does not own (L4): read the
 * configuration, replace only the rules whose IDs start with RuleIdPrefix, write it back; on
 * delete remove only those rules, and delete the configuration when no rule remains.
 */
export function createOnEvent(
  client: S3Client | ((region: string | undefined) => S3Client),
): (event: CloudFormationCustomResourceEvent) => Promise<OnEventResponse> {
  const clientFor = typeof client === 'function' ? client : () => client;
  return async (event) => {
    const props = PropertiesSchema.parse(event.ResourceProperties);
    const s3 = clientFor(props.Region);
    const physicalResourceId = `${props.RuleIdPrefix}${props.BucketName}`;
    if (event.RequestType === 'Delete') {
      let current: BucketLifecycle;
      try {
        current = await readLifecycle(s3, props.BucketName);
      } catch (error) {
        // A bucket deleted by its owner holds none of our rules; failing would block the stack's deletion.
        if (error instanceof Error && error.name === 'NoSuchBucket')
          return { PhysicalResourceId: event.PhysicalResourceId };
        throw error;
      }
      const rules = removeOwnRules(current.rules, props.RuleIdPrefix);
      logger.info('Removing own lifecycle rules', {
        bucket: props.BucketName,
        kept: rules.length,
        removed: current.rules.length - rules.length,
      });
      if (rules.length === current.rules.length) return { PhysicalResourceId: event.PhysicalResourceId };
      await writeLifecycle(s3, props.BucketName, { ...current, rules });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const current = await readLifecycle(s3, props.BucketName);
    const own: LifecycleRule[] = RulesSchema.parse(JSON.parse(props.Rules));
    const rules = mergeRules(current.rules, own, props.RuleIdPrefix);
    logger.info('Writing merged lifecycle rules', { bucket: props.BucketName, own: own.length, total: rules.length });
    await writeLifecycle(s3, props.BucketName, { ...current, rules });
    // A new bucket name yields a new physical ID, so CloudFormation deletes our rules from the old bucket.
    return { PhysicalResourceId: physicalResourceId, Data: { RuleCount: String(own.length) } };
  };
}

const clients = new Map<string, S3Client>();

/** The Provider's onEvent handler: one S3 client per region it is asked about. */
export const handler = createOnEvent((region) => {
  const name = region ?? '';
  let s3 = clients.get(name);
  if (!s3) {
    s3 = new S3Client(region ? { region } : {});
    clients.set(name, s3);
  }
  return s3;
});
