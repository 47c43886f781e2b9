import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RECORDINGS_METRICS_FILTER_ID } from './archive-write-alarms';
import { acknowledgeEachPack } from './nag-findings';
import { exceptPrincipals } from './policy-conditions';
import { ArchiveLifecycleProps, archiveLifecycleRules } from './lifecycle-rules';

/** Cross-region copy of the archive. */
export interface ReplicationTarget {
  /** Region of the replica bucket. */
  readonly region: string;
  /** ARN of the replica bucket (versioned, Object Lock enabled, owned by this account). */
  readonly bucketArn: string;
  /** Full ARN of the KMS key that encrypts replicas in the replica region. */
  readonly kmsKeyArn: string;
}

/** Props for {@link RecordingBucket}. */
export interface RecordingBucketProps {
  /** Key that encrypts every recording (SSE-KMS with S3 Bucket Keys). */
  readonly key: kms.IKey;
  /** Object Lock default retention for new object versions. */
  readonly objectLock: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly defaultRetentionDays: number };
  /** Lifecycle of the recordings prefix. */
  readonly lifecycle: ArchiveLifecycleProps;
  /** Days to keep server access logs. */
  readonly accessLogRetentionDays: number;
  /**
   * ARNs of the roles that alone may bypass governance retention.
   * @default - nobody may bypass it
   */
  readonly breakGlassRoleArns?: readonly string[];
  /**
   * Replicate every recording to a bucket in another region.
   * @default - no replication
   */
  readonly replication?: ReplicationTarget;
}

/**
 * The recording bucket and its server-access-log bucket: versioned, Object Lock, SSE-KMS with
 * Bucket Keys, TLS-only, public access blocked, owner-enforced, retained on stack delete.
 */
export class RecordingBucket extends Construct {
  /** The recording bucket. */
  readonly bucket: s3.Bucket;
  /** Receives the recording bucket's server access logs. */
  readonly accessLogBucket: s3.Bucket;
  /** Role S3 assumes to replicate, when replication is configured. */
  replicationRole?: iam.Role;
  private replicaKey?: kms.IKey;
  private replicaBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: RecordingBucketProps) {
    super(scope, id);

    // Access logs: S3 delivers them only to SSE-S3 buckets, so this bucket cannot use the KMS key.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'access-log-retention',
          expiration: Duration.days(props.accessLogRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        { id: 'access-log-cleanup', expiredObjectDeleteMarker: true },
      ],
    });

    acknowledgeEachPack(this.accessLogBucket.node.defaultChild!, 'S3DefaultEncryptionKMS',
      'S3 server access logging delivers only to buckets encrypted with SSE-S3, so this log bucket cannot use the KMS key.');
    acknowledgeEachPack(this.accessLogBucket.node.defaultChild!, 'S3BucketReplicationEnabled',
      'Access logs are operational evidence for this region; they hold no recordings and are not replicated.');

    // The archive itself.
    const retention = Duration.days(props.objectLock.defaultRetentionDays);
    this.bucket = new s3.Bucket(this, 'Recordings', {
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLock.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'recordings-bucket/',
      lifecycleRules: archiveLifecycleRules(props.lifecycle),
      // Request metrics of the recordings prefix feed the silence and denied-writes alarms.
      metrics: [{ id: RECORDINGS_METRICS_FILTER_ID, prefix: props.lifecycle.prefix }],
      // Objects under 128 KB stay in STANDARD: transition requests would cost more than they save.
      transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.replication ? this.replicationProps(props.replication, props.lifecycle.prefix) : {}),
    });

    if (props.replication) {
      this.grantReplication(props.replication, props.lifecycle.prefix, props.key);
    } else {
      acknowledgeEachPack(this.bucket.node.defaultChild!, 'S3BucketReplicationEnabled',
        'This environment keeps one regional copy by configuration: S3 stores it across three or more Availability Zones, versioning and Object Lock protect it from deletion, and setting `replication` adds a cross-region copy.');
    }

    // GOVERNANCE mode lets anyone with s3:BypassGovernanceRetention delete a locked version;
    // only the named break-glass roles may.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGovernanceBypassExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:BypassGovernanceRetention'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: exceptPrincipals(props.breakGlassRoleArns),
      }),
    );

    // Uploads may omit encryption headers (default encryption applies) but may not ask for another one.
    const objects = this.bucket.arnForObjects('*');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUploadsWithOtherEncryption',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [objects],
        conditions: {
          StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
          Null: { 's3:x-amz-server-side-encryption': 'false' },
        },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUploadsWithOtherKmsKey',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [objects],
        conditions: {
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': props.key.keyArn },
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        },
      }),
    );
  }

  private replicationProps(target: ReplicationTarget, prefix: string): Partial<s3.BucketProps> {
    const destination = s3.Bucket.fromBucketAttributes(this, 'ReplicaBucket', {
      bucketArn: target.bucketArn,
      region: target.region,
    });
    this.replicaKey = kms.Key.fromKeyArn(this, 'ReplicaKey', target.kmsKeyArn);
    // Our own role: the one CDK generates grants wildcard KMS actions in an inline policy.
    this.replicationRole = new iam.Role(this, 'ReplicationRole', {
      description: 'Replicates call recordings to the replica region',
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
    });
    this.replicaBucket = destination;
    return {
      replicationRole: this.replicationRole,
      replicationRules: [
        {
          id: 'replicate-recordings',
          destination,
          priority: 1,
          filter: { prefix },
          kmsKey: this.replicaKey,
          sseKmsEncryptedObjects: true,
          // Deletes by people (break-glass) replicate as delete markers. Lifecycle expirations do
          // not: S3 never replicates delete markers that lifecycle adds, so the replica bucket
          // needs the same lifecycle rules of its own (the stack warns at synth time).
          deleteMarkerReplication: true,
        },
      ],
    };
  }

  /** Least-privilege permissions of the replication role, once the bucket exists. */
  private grantReplication(target: ReplicationTarget, prefix: string, key: kms.IKey): void {
    const role = this.replicationRole!;
    const replica = this.replicaBucket!;
    const policy = new iam.ManagedPolicy(this, 'ReplicationPolicy', {
      description: 'Lets S3 replicate recordings, their retention and their tags to the replica bucket',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadReplicationConfiguration',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadSourceVersions',
          actions: [
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
            's3:GetObjectRetention',
            's3:GetObjectLegalHold',
          ],
          resources: [this.bucket.arnForObjects(`${prefix}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'WriteReplicas',
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [replica.arnForObjects(`${prefix}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'DecryptSource',
          actions: ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          sid: 'EncryptReplicas',
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [target.kmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${target.region}.amazonaws.com` } },
        }),
      ],
    });
    const stack = Stack.of(this);
    const sourceId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${sourceId}.Arn>/${prefix}*]`,
        reason: 'Replication reads every recording version under the prefix; object names are not known in advance.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${target.bucketArn}/${prefix}*]`,
        reason: 'Replication writes every recording under the prefix of the replica bucket; object names are not known in advance.',
      },
    );
  }
}

