import { Annotations, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ArchiveConfig, lifecycleCostWarnings, replicaTarget } from '../config';
import { CONNECT_ARCHIVE_PREFIX } from '../config/connect-schema';
import { AlarmTopic } from '../constructs/alarm-topic';
import { ConnectArchiveAccess } from '../constructs/connect-archive-access';
import { ArchiveKey } from '../constructs/archive-key';
import { ArchiveOperations } from '../constructs/archive-operations';
import { ConnectBucketLifecycle, connectRuleIdPrefix } from '../constructs/connect-bucket-lifecycle';
import { GenesysAccessRole } from '../constructs/genesys-access-role';
import { archiveLifecycleProps, archiveLifecycleRules, toS3LifecycleRules } from '../constructs/lifecycle-rules';
import { OperationsKey } from '../constructs/operations-key';
import { RecordingBucket } from '../constructs/recording-bucket';
import { RecordingInventory } from '../constructs/recording-inventory';
import { RecordingRetentionLock } from '../constructs/recording-retention-lock';

/** The fixed start of Genesys export keys under the recordings prefix: the layout up to its first date token. */
export function genesysExportPrefix(config: ArchiveConfig): string {
  const layout = config.recordingKeyLayout.replace('{orgId}', config.genesys.organizationId);
  const fixed = layout.slice(0, layout.indexOf('{') < 0 ? layout.length : layout.indexOf('{'));
  return `${config.recordingsPrefix}${fixed.slice(0, fixed.lastIndexOf('/') + 1)}`;
}

/** Props for {@link ArchiveStack}. */
export interface ArchiveStackProps extends StackProps {
  /** The validated environment. */
  readonly config: ArchiveConfig;
}

/**
 * The stateful archive: key, recording bucket, access-log bucket, Genesys access role and
 * bucket policy. Never replaced; every resource is retained and the construct IDs on their
 * paths are pinned by a test.
 */
export class ArchiveStack extends Stack {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly genesysRole: iam.Role;
  /** Encrypts operational data: logs, alarm topic, queues, streams. */
  readonly operationsKey: kms.Key;
  /** The environment's one topic for alarms and findings. */
  readonly alarmTopic: sns.Topic;
  /** Day-2 operations: the Batch Operations role, holds, the reader role, Athena search. */
  readonly operations: ArchiveOperations;
  /** Locks each Genesys export until its expiration day. */
  readonly retentionLock: RecordingRetentionLock;
  /** The archive's rules merged into an existing replica bucket, when one is configured. */
  readonly replicaLifecycle?: ConnectBucketLifecycle;

  constructor(scope: Construct, id: string, props: ArchiveStackProps) {
    super(scope, id, props);
    const { config } = props;

    const breakGlassRoleArns = config.breakGlassRoleNames.map((name) =>
      Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name }),
    );
    this.key = new ArchiveKey(this, 'ArchiveKey', { envName: config.envName, breakGlassRoleArns }).key;

    const replica = replicaTarget(config);
    const lifecycle = archiveLifecycleProps(config);
    const recordings = new RecordingBucket(this, 'RecordingBucket', {
      key: this.key,
      objectLock: config.objectLock,
      accessLogRetentionDays: config.accessLogRetentionDays,
      replication: replica,
      breakGlassRoleArns,
      lifecycle,
      eventBridgeEnabled: true,
    });
    this.bucket = recordings.bucket;
    // Connect's own recordings, when the instance writes them into the archive.
    if (config.connect?.recordIntoArchive) {
      new ConnectArchiveAccess(this, 'ConnectRecordings', {
        bucket: this.bucket,
        prefix: CONNECT_ARCHIVE_PREFIX,
        lifecycle: {
          prefix: CONNECT_ARCHIVE_PREFIX,
          retentionDays: config.compliance.retentionDays,
          ...config.lifecycle,
          retentionTagKey: config.retention.tagKey,
          retentionClasses: config.retention.classes,
        },
      });
    }
    lifecycleCostWarnings(config).forEach((warning, i) => {
      Annotations.of(recordings).addWarningV2(`recording-archive:early-deletion-${i}`, warning);
    });
    this.accessLogBucket = recordings.accessLogBucket;
    // Daily inventory for the Athena reconciliation of large archives, and the reports prefix's lifecycle.
    new RecordingInventory(this, 'RecordingInventory', {
      bucket: this.bucket,
      destination: this.accessLogBucket,
      recordingsPrefix: config.recordingsPrefix,
      inventoryDays: 14,
      // Reports are locked like recordings; they cannot expire before their lock lapses.
      integrityReportDays: Math.max(config.accessLogRetentionDays, config.objectLock.defaultRetentionDays),
    });

    this.genesysRole = new GenesysAccessRole(this, 'GenesysAccess', {
      bucket: this.bucket,
      key: this.key,
      prefix: config.recordingsPrefix,
      trustedAccountId: config.genesys.trustedAccountId,
      externalId: config.genesys.organizationId,
      allowedCidrs: config.genesys.allowedCidrs.cidrs,
    }).role;

    this.operationsKey = new OperationsKey(this, 'OperationsKey', { envName: config.envName }).key;
    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      key: this.operationsKey,
      emails: config.notifications.emails,
    }).topic;

    // Day-2 operations: bulk holds and restores, who may hold, the reader role, Athena search.
    this.operations = new ArchiveOperations(this, 'Operations', {
      envName: config.envName,
      bucket: this.bucket,
      key: this.key,
      accessLogBucket: this.accessLogBucket,
      operationsKey: this.operationsKey,
      recordingsPrefix: config.recordingsPrefix,
      organizationId: config.genesys.organizationId,
      legalHoldRoleNames: config.operations.legalHoldRoleNames,
      readerAssumedByRoleNames: config.operations.readerRole?.assumedByRoleNames,
      athenaResultsExpirationDays: config.operations.athena.resultsExpirationDays,
      athenaFirstYear: config.operations.athena.firstYear,
      batchManifestDays: Math.max(config.operations.batchManifestDays, config.objectLock.defaultRetentionDays),
      otherRecordingPrefixes: config.connect?.recordIntoArchive ? [CONNECT_ARCHIVE_PREFIX] : [],
    });

    // Every Genesys export (and its sidecar) locked until its expiration day, not only for the default retention.
    this.retentionLock = new RecordingRetentionLock(this, 'GenesysExportLock', {
      bucket: this.bucket,
      prefix: genesysExportPrefix(config),
      lockDays: config.compliance.retentionDays,
      key: this.operationsKey,
      alarmTopic: this.alarmTopic,
      description: `Genesys export lock (${config.envName})`,
    });

    // S3 does not replicate the delete markers lifecycle adds: an existing replica bucket gets the
    // archive's own rules merged into its lifecycle, in its region (the app-owned replica has them natively).
    if (replica && !replica.appOwned) {
      const ruleIdPrefix = connectRuleIdPrefix(config.envName);
      this.replicaLifecycle = new ConnectBucketLifecycle(this, 'ReplicaLifecycle', {
        envName: config.envName,
        bucketName: replica.bucketName,
        region: replica.region,
        rules: toS3LifecycleRules(archiveLifecycleRules(lifecycle), ruleIdPrefix),
        key: this.operationsKey,
      });
    }

    new CfnOutput(this, 'RecordingBucketName', { value: this.bucket.bucketName, description: 'Archive bucket name' });
    new CfnOutput(this, 'ArchiveKeyArn', {
      value: this.key.keyArn,
      description: 'KMS key ARN (give Genesys this ARN, never the alias)',
    });
    new CfnOutput(this, 'GenesysRoleArn', { value: this.genesysRole.roleArn, description: 'Role Genesys assumes' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'SNS topic of every alarm' });
    new CfnOutput(this, 'GenesysExternalId', {
      value: config.genesys.organizationId,
      description: 'sts:ExternalId (the Genesys organization id)',
    });
  }
}
