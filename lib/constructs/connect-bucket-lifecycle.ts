import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import * as path from 'path';
import { ArchiveFunction } from './archive-function';
import { createHardenedProvider, PROVIDER_HANDLER_FAILURE_HANDLING } from './hardened-provider';
import { S3LifecycleRule } from './lifecycle-rules';

/**
 * Every rule this construct writes has an ID starting with this; it never touches other rules,
 * including those of another environment's stack on the same bucket.
 */
export function connectRuleIdPrefix(envName: string): string {
  if (!/^[A-Za-z0-9]+$/.test(envName)) {
    throw new Error(
      `The environment name '${envName}' must be letters and digits only, so that no environment's rule ID prefix starts another's.`,
    );
  }
  return `recording-archive-${envName}-`;
}

/** Props for {@link ConnectBucketLifecycle}. */
export interface ConnectBucketLifecycleProps {
  /** Environment name, part of every rule ID. */
  readonly envName: string;
  /** Name of the existing bucket (not owned by this app). */
  readonly bucketName: string;
  /**
   * Region of the bucket, when it is not the stack's (an existing replica bucket).
   * @default - the stack's region
   */
  readonly region?: string;
  /**
   * The rules to merge, every ID starting with {@link connectRuleIdPrefix} (an existing replica
   * gets the archive's rules through {@link toS3LifecycleRules}).
   * @default - {@link connectLifecycleRules} of the Connect props below
   */
  readonly rules?: readonly S3LifecycleRule[];
  /** Prefix of the recordings in that bucket, ending with `/` (needed without `rules`). @default - none */
  readonly prefix?: string;
  /** Tag key of the retention class (needed without `rules`). @default - none */
  readonly retentionTagKey?: string;
  /** Retention class name -> days (needed without `rules`). @default - none */
  readonly retentionClasses?: Readonly<Record<string, number>>;
  /** Days a noncurrent version of a recording is kept when the bucket is versioned (needed without `rules`). @default - none */
  readonly noncurrentVersionExpirationDays?: number;
  /** Key for the functions' logs and environment. */
  readonly key: kms.IKey;
}

/** One lifecycle rule as PutBucketLifecycleConfiguration takes it. */
export type ConnectLifecycleRule = S3LifecycleRule;

/** What the Connect bucket's rules are built from. */
export interface ConnectLifecycleRulesProps {
  readonly envName: string;
  readonly prefix: string;
  readonly retentionTagKey: string;
  readonly retentionClasses: Readonly<Record<string, number>>;
  readonly noncurrentVersionExpirationDays: number;
}

/**
 * One tag-filtered expiration per retention class, and a fallback expiration of the whole prefix
 * at the longest class in a rule of its own, so an untagged recording (its CTR failed, or it
 * predates the stack) is deleted too: S3 applies the shorter of overlapping expirations, so the
 * fallback never shortens a class. S3 refuses ExpiredObjectDeleteMarker and
 * AbortIncompleteMultipartUpload in a rule with a tag filter, so these rules hold neither.
 */
export function connectLifecycleRules(props: ConnectLifecycleRulesProps): ConnectLifecycleRule[] {
  const idPrefix = connectRuleIdPrefix(props.envName);
  const noncurrent = { NoncurrentDays: props.noncurrentVersionExpirationDays };
  const classes: ConnectLifecycleRule[] = Object.entries(props.retentionClasses).map(([name, days]) => ({
    ID: `${idPrefix}retention-class-${name}`,
    Status: 'Enabled',
    Filter: { And: { Prefix: props.prefix, Tags: [{ Key: props.retentionTagKey, Value: name }] } },
    Expiration: { Days: days },
    NoncurrentVersionExpiration: noncurrent,
  }));
  const fallback: ConnectLifecycleRule = {
    ID: `${idPrefix}${CONNECT_FALLBACK_RULE_ID}`,
    Status: 'Enabled',
    Filter: { Prefix: props.prefix },
    Expiration: { Days: Math.max(...Object.values(props.retentionClasses)) },
    NoncurrentVersionExpiration: noncurrent,
  };
  return [...classes, fallback];
}

/** ID (after the environment's prefix) of the fallback expiration for untagged recordings. */
export const CONNECT_FALLBACK_RULE_ID = 'untagged-fallback';

/**
 * Tag-filtered retention rules on an existing bucket this app does not own (L4): a custom
 * resource reads the bucket's lifecycle configuration, replaces only the rules whose IDs start
 * with {@link connectRuleIdPrefix}, writes it back, and on delete removes only those rules.
 */
export class ConnectBucketLifecycle extends Construct {
  readonly resource: CustomResource;
  readonly onEvent: ArchiveFunction;

  constructor(scope: Construct, id: string, props: ConnectBucketLifecycleProps) {
    super(scope, id);
    const rules = props.rules ?? this.classRules(props);
    const idPrefix = connectRuleIdPrefix(props.envName);
    const foreign = rules.find((rule) => !rule.ID.startsWith(idPrefix));
    if (foreign)
      throw new Error(`ConnectBucketLifecycle: the rule ID '${foreign.ID}' does not start with '${idPrefix}'.`);

    // The function that merges our rules into the bucket's configuration.
    this.onEvent = new ArchiveFunction(this, 'OnEvent', {
      failureHandling: PROVIDER_HANDLER_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'connect-lifecycle', 'handler.ts'),
      description: `Merges recording-archive's lifecycle rules into the existing bucket ${props.bucketName}`,
      key: props.key,
      timeout: Duration.minutes(2),
      reservedConcurrentExecutions: 1,
    });
    const bucket = s3.Bucket.fromBucketName(this, 'Bucket', props.bucketName);
    // Get/PutBucketLifecycleConfiguration are the IAM actions of Get/Put/DeleteBucketLifecycle.
    this.onEvent.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
        resources: [bucket.bucketArn],
      }),
    );

    const provider = createHardenedProvider(this, { onEvent: this.onEvent, key: props.key });

    this.resource = new CustomResource(this, 'Rules', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ConnectBucketLifecycle',
      properties: {
        BucketName: props.bucketName,
        RuleIdPrefix: idPrefix,
        // CloudFormation passes every property as a string, so the rules travel as one JSON document.
        Rules: JSON.stringify(rules),
        ...(props.region ? { Region: props.region } : {}),
      },
    });
  }

  private classRules(props: ConnectBucketLifecycleProps): ConnectLifecycleRule[] {
    const { prefix, retentionTagKey, retentionClasses, noncurrentVersionExpirationDays } = props;
    if (
      prefix === undefined ||
      retentionTagKey === undefined ||
      retentionClasses === undefined ||
      noncurrentVersionExpirationDays === undefined
    ) {
      throw new Error(
        'ConnectBucketLifecycle needs either rules or prefix, retentionTagKey, retentionClasses and noncurrentVersionExpirationDays.',
      );
    }
    if (Object.keys(retentionClasses).length === 0) {
      throw new Error('ConnectBucketLifecycle needs at least one retention class.');
    }
    return connectLifecycleRules({
      envName: props.envName,
      prefix,
      retentionTagKey,
      retentionClasses,
      noncurrentVersionExpirationDays,
    });
  }
}
