import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import * as path from 'path';
import { ArchiveFunction } from './archive-function';
import { acknowledge, COMPLIANCE_PACKS } from './nag-findings';

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
      failureHandling:
        'The provider framework invokes it synchronously and reports any failure to CloudFormation, which fails the deployment; a dead-letter queue would hold nothing.',
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

    // The provider framework: its own function gets a KMS-encrypted log group and environment.
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEvent.function,
      logGroup: providerLogs,
      providerFunctionEnvEncryption: props.key,
    });
    this.tightenFramework(provider, providerLogs);

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

  /**
   * The framework's own function, which Provider props cannot shape: a concurrency cap and log
   * writes to its own log group only (no AWS managed policy) through escape hatches; the rest acknowledged.
   */
  private tightenFramework(provider: cr.Provider, logGroup: logs.LogGroup): void {
    const framework = provider.node.findChild('framework-onEvent') as lambda.Function;
    // One custom resource, one deployment at a time: a cap of 2 leaves room for a retry.
    (framework.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 2;
    const role = framework.role as iam.Role;
    (role.node.defaultChild as iam.CfnRole).managedPolicyArns = [];
    logGroup.grantWrite(framework);
    acknowledge(
      framework.role!.node.findChild('DefaultPolicy'),
      COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`),
      "The inline policy belongs to the framework function's own role, is created and deleted with it, and is reviewed in the template.",
    );
    Validations.of(framework.role!.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((this.onEvent.function.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*]`,
      reason: 'The provider framework may invoke any version of the one onEvent function it fronts.',
    });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      Validations.of(framework).acknowledge({
        id: `${pack}-LambdaDLQ`,
        reason: 'On any error the framework reports FAILED to CloudFormation, which rolls the deployment back; there is nothing to redrive.',
      });
    }
    for (const pack of ['HIPAA.Security', 'PCI.DSS.321', 'NIST.800.53.R5']) {
      Validations.of(framework).acknowledge({
        id: `${pack}-LambdaInsideVPC`,
        reason: 'The framework function calls only Lambda and the CloudFormation response URL; a VPC would add NAT cost without isolating anything.',
      });
    }
  }
}
