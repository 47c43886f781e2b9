import { CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import * as path from 'path';
import { ArchiveFunction } from './archive-function';
import { createHardenedProvider, PROVIDER_HANDLER_FAILURE_HANDLING } from './hardened-provider';

/**
 * Every rule this construct writes has an ID starting with this; it never touches other rules,
 * including those of another environment's stack on the same bucket.
 */
export function connectRuleIdPrefix(envName: string): string {
  if (!/^[A-Za-z0-9]+$/.test(envName)) {
    throw new Error(`The environment name '${envName}' must be letters and digits only, so that no environment's rule ID prefix starts another's.`);
  }
  return `recording-archive-${envName}-`;
}

/** Props for {@link ConnectBucketLifecycle}. */
export interface ConnectBucketLifecycleProps {
  /** Environment name, part of every rule ID. */
  readonly envName: string;
  /** Name of the existing Connect recording bucket (not owned by this app). */
  readonly bucketName: string;
  /** Prefix of the recordings in that bucket, ending with `/`. */
  readonly prefix: string;
  /** Tag key of the retention class. */
  readonly retentionTagKey: string;
  /** Retention class name -> days. */
  readonly retentionClasses: Readonly<Record<string, number>>;
  /** Days a noncurrent version of a tagged recording is kept when the bucket is versioned. */
  readonly noncurrentVersionExpirationDays: number;
  /** Key for the functions' logs and environment. */
  readonly key: kms.IKey;
}

/** One lifecycle rule as PutBucketLifecycleConfiguration takes it. */
export interface ConnectLifecycleRule {
  readonly ID: string;
  readonly Status: 'Enabled';
  readonly Filter: { readonly And: { readonly Prefix: string; readonly Tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }> } };
  readonly Expiration: { readonly Days: number };
  readonly NoncurrentVersionExpiration: { readonly NoncurrentDays: number };
}

/**
 * One tag-filtered expiration per retention class. S3 refuses ExpiredObjectDeleteMarker and
 * AbortIncompleteMultipartUpload in a rule with a tag filter, so these rules hold neither.
 */
export function connectLifecycleRules(props: Omit<ConnectBucketLifecycleProps, 'bucketName' | 'key'>): ConnectLifecycleRule[] {
  return Object.entries(props.retentionClasses).map(([name, days]) => ({
    ID: `${connectRuleIdPrefix(props.envName)}retention-class-${name}`,
    Status: 'Enabled',
    Filter: { And: { Prefix: props.prefix, Tags: [{ Key: props.retentionTagKey, Value: name }] } },
    Expiration: { Days: days },
    NoncurrentVersionExpiration: { NoncurrentDays: props.noncurrentVersionExpirationDays },
  }));
}

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
    if (Object.keys(props.retentionClasses).length === 0) {
      throw new Error('ConnectBucketLifecycle needs at least one retention class.');
    }

    // The function that merges our rules into the bucket's configuration.
    this.onEvent = new ArchiveFunction(this, 'OnEvent', {
      failureHandling: PROVIDER_HANDLER_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'connect-lifecycle', 'handler.ts'),
      description: "Merges recording-archive's retention rules into an existing Connect bucket's lifecycle",
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
        RuleIdPrefix: connectRuleIdPrefix(props.envName),
        // CloudFormation passes every property as a string, so the rules travel as one JSON document.
        Rules: JSON.stringify(connectLifecycleRules(props)),
      },
    });
  }
}
