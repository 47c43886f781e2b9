import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Prefix of S3 Batch Operations manifests (`batch/<job>/manifest.csv`) and completion reports (`batch/reports/`). */
export const BATCH_PREFIX = 'batch/';
/** Where completion reports are written. */
export const BATCH_REPORTS_PREFIX = 'batch/reports/';
/** Lifecycle rule of the `batch/` prefix. */
export const BATCH_LIFECYCLE_RULE_ID = 'batch-manifests-expiry';

/** Props for {@link BatchOperationsRole}. */
export interface BatchOperationsRoleProps {
  /** The archive bucket: the objects, the manifests and the reports. */
  readonly bucket: s3.Bucket;
  /** The archive key. */
  readonly key: kms.IKey;
  /** Prefix of every recording, ending with `/`. */
  readonly recordingsPrefix: string;
  /** Days manifests and completion reports are kept (Object Lock keeps them at least its default retention). */
  readonly manifestDays: number;
  /**
   * Other prefixes of recordings that bulk holds and restores act on, each ending with `/`
   * (Connect's `connect/` with `connect.recordIntoArchive`).
   * @default - none
   */
  readonly otherRecordingPrefixes?: readonly string[];
}

/**
 * The role S3 Batch Operations assumes for bulk holds, releases and restores created by
 * `npm run archive`: legal hold and restore on recordings only, reads of its manifests, writes
 * of its completion reports; and the lifecycle of the `batch/` prefix.
 */
export class BatchOperationsRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BatchOperationsRoleProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    // Confused deputy: only Batch Operations jobs of this account may assume it.
    this.role = new iam.Role(this, 'Role', {
      description: 'S3 Batch Operations: bulk legal holds and restores of archived recordings',
      assumedBy: new iam.ServicePrincipal('batchoperations.s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    });
    const prefixes = [props.recordingsPrefix, ...(props.otherRecordingPrefixes ?? [])];
    const recordings = prefixes.map((p) => props.bucket.arnForObjects(`${p}*`));
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'HoldAndRestoreRecordings',
          actions: ['s3:PutObjectLegalHold', 's3:RestoreObject'],
          resources: recordings,
        }),
        new iam.PolicyStatement({
          sid: 'ReadManifests',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [props.bucket.arnForObjects(`${BATCH_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'WriteCompletionReports',
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(`${BATCH_REPORTS_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'LocateBucket',
          actions: ['s3:GetBucketLocation'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseArchiveKeyThroughS3',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      ],
    });
    const bucketId = Stack.of(this).getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(policy).acknowledge(
      ...prefixes.map((p) => ({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${p}*]`,
        reason:
          'A bulk job holds or restores any recording version under the prefix; the manifest, not the policy, names the objects.',
      })),
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${BATCH_PREFIX}*]`,
        reason: 'Each job reads its own manifest under batch/, named per job at run time.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${BATCH_REPORTS_PREFIX}*]`,
        reason: "S3 writes each job's completion report under batch/reports/job-<id>/, named by S3 at run time.",
      },
    );
    props.bucket.addLifecycleRule({
      id: BATCH_LIFECYCLE_RULE_ID,
      prefix: BATCH_PREFIX,
      expiration: Duration.days(props.manifestDays),
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
  }
}
