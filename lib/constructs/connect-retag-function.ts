import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import * as path from 'path';
import { ArchiveFunction } from './archive-function';
import { TaggedLocation } from './ctr-tagging-pipeline';
import { acknowledge, COMPLIANCE_PACKS, nagBucketArns } from './nag-findings';

/** Props for {@link ConnectRetagFunction}. */
export interface ConnectRetagFunctionProps {
  /** Key for the function's logs and environment. */
  readonly key: kms.IKey;
  /** Tag key of the retention class. */
  readonly retentionTagKey: string;
  /** Class name -> days: the classes a job may set and the lock each one gets. */
  readonly retentionClassDays: Readonly<Record<string, number>>;
  /** Connect's recording prefixes: the function may tag and lock there and nowhere else. */
  readonly locations: readonly TaggedLocation[];
  /** ARN of the archive stack's S3 Batch Operations role, which alone is granted to invoke the function. */
  readonly batchOperationsRoleArn: string;
}

/**
 * The function S3 Batch Operations invokes (LambdaInvoke, schema 2.0) for `npm run archive -- retag`
 * above the batch threshold: the CTR tagger's merge-then-lock logic on one Connect recording a task.
 * Its role may read and write object tags and retention under Connect's prefixes and list versions
 * there (for the lock's LastModified), never read or delete a recording; the Batch Operations role
 * gets `lambda:InvokeFunction` on exactly this function.
 */
export class ConnectRetagFunction extends Construct {
  readonly function: ArchiveFunction;

  constructor(scope: Construct, id: string, props: ConnectRetagFunctionProps) {
    super(scope, id);
    if (props.locations.length === 0) throw new Error('ConnectRetagFunction needs at least one Connect location.');
    const stack = Stack.of(this);

    this.function = new ArchiveFunction(this, 'Retagger', {
      failureHandling:
        'The function is invoked synchronously by S3 Batch Operations jobs only; each task result lands in the completion report that npm run archive -- retag prints, and Batch Operations retries TemporaryFailure tasks.',
      entry: path.join(__dirname, '..', '..', 'lambda', 'tag-recordings', 'batch-retag-handler.ts'),
      description: 'Re-tags Connect recordings with a retention class for S3 Batch Operations (archive retag)',
      key: props.key,
      timeout: Duration.minutes(1),
      memorySize: 256,
      reservedConcurrentExecutions: 10,
      environment: {
        RETENTION_TAG_KEY: props.retentionTagKey,
        RETENTION_CLASS_DAYS: JSON.stringify(props.retentionClassDays),
        RETAG_LOCATIONS: stack.toJsonString(
          props.locations.map((l) => ({ bucket: l.bucket.bucketName, prefix: l.prefix })),
        ),
      },
    });
    const fn = this.function.function;
    const objects = props.locations.map((l) => l.bucket.arnForObjects(`${l.prefix}*`));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TagAndLockConnectRecordings',
        actions: ['s3:GetObjectTagging', 's3:PutObjectTagging', 's3:GetObjectRetention', 's3:PutObjectRetention'],
        resources: objects,
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadObjectLockConfiguration',
        actions: ['s3:GetBucketObjectLockConfiguration'],
        resources: [...new Set(props.locations.map((l) => l.bucket.bucketArn))],
      }),
    );
    props.locations.forEach((location, i) => {
      // ListBucket: a missing recording answers NoSuchKey (not AccessDenied); versions: the lock's LastModified.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: `ListConnectPrefix${i}`,
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [location.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${location.prefix}*` } },
        }),
      );
      for (const arn of nagBucketArns(location.bucket, stack)) {
        Validations.of(this.function.defaultPolicy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}/${location.prefix}*]`,
          reason:
            'A re-tag job names its recordings in its manifest at run time; tag and retention reads and writes are scoped to the Connect recordings prefix, and recordings themselves cannot be read, written or deleted.',
        });
      }
    });

    // The archive stack's Batch Operations role, imported by ARN so the grant lives here (no cycle).
    const batchRole = iam.Role.fromRoleArn(this, 'BatchOperationsRole', props.batchOperationsRoleArn, {
      mutable: true,
    });
    const invoke = new iam.Policy(this, 'BatchOperationsInvoke', {
      roles: [batchRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'InvokeRetagFunction',
          actions: ['lambda:InvokeFunction'],
          resources: [fn.functionArn],
        }),
      ],
    });
    acknowledge(
      invoke.node.defaultChild!,
      COMPLIANCE_PACKS.map((pack) => `${pack}-IAMNoInlinePolicy`),
      "The Batch Operations role lives in the archive stack; this policy adds the one invoke right on this stack's function, so it is created and deleted with the function.",
    );
  }
}
