import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ArchiveConfig, replicaNames } from '../config';
import { ArchiveKey } from '../constructs/archive-key';
import { archiveLifecycleProps } from '../constructs/lifecycle-rules';
import { RecordingBucket } from '../constructs/recording-bucket';

/** Props for {@link ReplicaStack}. */
export interface ReplicaStackProps extends StackProps {
  /** The validated environment; its `replication.region` is this stack's region. */
  readonly config: ArchiveConfig;
}

/**
 * The app-owned replica of the archive, in the replication region: its own key (rotation,
 * retained) and a bucket built by the archive's own construct, so versioning, Object Lock (same
 * mode and default days), TLS-only, public access block, owner-enforced objects and the
 * lifecycle rules (same function, same props) are the archive's. S3 never replicates the delete
 * markers that lifecycle adds, so these rules are what deletes each replica on its day.
 *
 * The archive stack's replication rule names this bucket and key by physical name and alias
 * (see {@link replicaNames}): a cross-region reference would need CDK's custom-resource
 * export/import machinery in the stateful archive stack, and both names follow from the config.
 * Deploy this stack first.
 */
export class ReplicaStack extends Stack {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReplicaStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (!config.replication) throw new Error('ReplicaStack needs config.replication.');
    const names = replicaNames(config);

    const breakGlassRoleArns = config.breakGlassRoleNames.map((name) =>
      Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name }),
    );
    this.key = new ArchiveKey(this, 'ReplicaKey', {
      envName: config.envName,
      breakGlassRoleArns,
      alias: names.keyAlias,
      description: `Encrypts the replicas of call recordings of the ${config.envName} recording archive`,
    }).key;

    const replica = new RecordingBucket(this, 'ReplicaBucket', {
      key: this.key,
      bucketName: names.bucketName,
      objectLock: config.objectLock,
      accessLogRetentionDays: config.accessLogRetentionDays,
      breakGlassRoleArns,
      lifecycle: archiveLifecycleProps(config),
      replicaOf: `the ${config.envName} archive in ${config.region}`,
    });
    this.bucket = replica.bucket;

    new CfnOutput(this, 'ReplicaBucketName', { value: this.bucket.bucketName, description: 'Replica bucket name' });
    new CfnOutput(this, 'ReplicaKeyArn', { value: this.key.keyArn, description: 'KMS key ARN of the replicas' });
  }
}
