import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { z } from 'zod';
import { CONNECT_ARCHIVE_BUCKET_PREFIX, CONNECT_ARCHIVE_PREFIX, ConnectSchema } from '../config';
import { ConnectInstanceStorage } from '../constructs/connect-instance-storage';
import { DemoContactFlow } from '../constructs/demo-contact-flow';
import { ConnectBucketLifecycle } from '../constructs/connect-bucket-lifecycle';
import { ConnectRetagFunction } from '../constructs/connect-retag-function';
import { CtrTaggingAlarms } from '../constructs/ctr-tagging-alarms';
import { CtrTaggingPipeline, TaggedLocation } from '../constructs/ctr-tagging-pipeline';

/** Props for {@link ConnectRetentionStack}. */
export interface ConnectRetentionStackProps extends StackProps {
  /** Environment name. */
  readonly envName: string;
  /** This stack's settings. */
  readonly connect: z.output<typeof ConnectSchema>;
  /** Tag key of the retention class. */
  readonly retentionTagKey: string;
  /** Retention class name -> days. */
  readonly retentionClasses: Readonly<Record<string, number>>;
  /** Class used when a contact names none or an unknown one. */
  readonly defaultRetentionClass: string;
  /** The archive bucket (its tag-filtered rules live in the archive stack). */
  readonly bucket: s3.IBucket;
  /** Prefix of the recordings in the archive bucket, ending with `/`. */
  readonly archivePrefix: string;
  /** Key for the stream, queue, logs. */
  readonly operationsKey: kms.IKey;
  /** The archive key (Connect encrypts recordings with it when `recordIntoArchive` is on). */
  readonly archiveKey: kms.IKey;
  /** Topic every alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** ARN of the archive stack's S3 Batch Operations role: it may invoke the re-tag function. */
  readonly batchOperationsRoleArn: string;
}

/** CTR stream -> tagging function -> tag-filtered lifecycle, optional per environment. */
export class ConnectRetentionStack extends Stack {
  readonly pipeline: CtrTaggingPipeline;
  readonly alarms: CtrTaggingAlarms;
  readonly connectBucketLifecycle?: ConnectBucketLifecycle;
  readonly instanceStorage?: ConnectInstanceStorage;
  readonly demoFlow?: DemoContactFlow;
  /** What S3 Batch Operations invokes for bulk re-tags; absent without a Connect recording location. */
  readonly retag?: ConnectRetagFunction;

  constructor(scope: Construct, id: string, props: ConnectRetentionStackProps) {
    super(scope, id, props);
    const { connect } = props;
    const existing = connect.existingRecordingBucket;

    // Recordings are tagged in the archive bucket and, when configured, in Connect's own bucket.
    const locations: TaggedLocation[] = [{ bucket: props.bucket, prefix: props.archivePrefix }];
    if (connect.recordIntoArchive) locations.push({ bucket: props.bucket, prefix: CONNECT_ARCHIVE_PREFIX });
    if (existing) {
      locations.push({
        bucket: s3.Bucket.fromBucketName(this, 'ConnectBucket', existing.bucketName),
        prefix: existing.prefix,
      });
    }

    this.pipeline = new CtrTaggingPipeline(this, 'CtrTagging', {
      key: props.operationsKey,
      existingStreamArn: connect.existingStreamArn,
      existingStreamKeyArn: connect.existingStreamKeyArn,
      shardCount: connect.shardCount,
      batchSize: connect.batchSize,
      parallelizationFactor: connect.parallelizationFactor,
      retryAttempts: connect.retryAttempts,
      maxRecordAge: Duration.hours(connect.maxRecordAgeHours),
      retentionTagKey: props.retentionTagKey,
      retentionClasses: Object.keys(props.retentionClasses),
      defaultRetentionClass: props.defaultRetentionClass,
      retentionClassDays: props.retentionClasses,
      tagConcurrency: connect.tagConcurrency,
      missingObjectAttempts: connect.missingObjectAttempts,
      missingObjectDelay: Duration.millis(connect.missingObjectDelayMs),
      locations,
      lateRecordingHours: connect.lateRecordingHours,
    });

    this.alarms = new CtrTaggingAlarms(this, 'Alarms', {
      tagger: this.pipeline.tagger.function,
      deadLetterQueue: this.pipeline.deadLetterQueue,
      retryQueue: this.pipeline.retryQueue,
      parkedQueue: this.pipeline.parkedQueue,
      alarmTopic: props.alarmTopic,
    });

    // The instance's storage: CTRs to the stream this stack created (an existing stream is already
    // associated), and recordings into the archive when asked.
    if (connect.instanceArn && (!connect.existingStreamArn || connect.recordIntoArchive)) {
      this.instanceStorage = new ConnectInstanceStorage(this, 'InstanceStorage', {
        instanceArn: connect.instanceArn,
        ctrStreamArn: connect.existingStreamArn ? undefined : this.pipeline.stream.streamArn,
        callRecordings: connect.recordIntoArchive
          ? { bucket: props.bucket, bucketPrefix: CONNECT_ARCHIVE_BUCKET_PREFIX, key: props.archiveKey }
          : undefined,
      });
    }
    if (connect.instanceArn && connect.demoFlow) {
      const classes = Object.keys(props.retentionClasses);
      if (classes.length < 2) {
        throw new Error(
          'connect.demoFlow offers the first two retention classes, so retention.classes needs at least two.',
        );
      }
      this.demoFlow = new DemoContactFlow(this, 'DemoFlow', {
        instanceArn: connect.instanceArn,
        name: `recording-archive-${props.envName}-retention-demo`,
        queueArn: connect.demoFlow.queueArn,
        tagKey: props.retentionTagKey,
        classes: [classes[0], classes[1]],
      });
    }

    // Bulk re-tags (npm run archive -- retag): Connect's recording prefixes only, never the Genesys prefix.
    const connectLocations = locations.filter((l) => l.prefix !== props.archivePrefix);
    if (connectLocations.length > 0) {
      this.retag = new ConnectRetagFunction(this, 'Retag', {
        key: props.operationsKey,
        retentionTagKey: props.retentionTagKey,
        retentionClassDays: props.retentionClasses,
        locations: connectLocations,
        batchOperationsRoleArn: props.batchOperationsRoleArn,
      });
      new CfnOutput(this, 'RetagFunctionArn', {
        value: this.retag.function.function.functionArn,
        description: 'Function of bulk re-tag jobs (npm run archive -- retag --retag-function-arn)',
      });
    }

    // What ctr:redrive reads.
    new CfnOutput(this, 'ParkedCtrQueueUrl', {
      value: this.pipeline.parkedQueue.queueUrl,
      description: 'Parked CTRs (with payload) for ctr:redrive',
    });
    new CfnOutput(this, 'ShardFailureQueueUrl', {
      value: this.pipeline.deadLetterQueue.queueUrl,
      description: 'Shard ranges of failed batches for ctr:redrive',
    });
    new CfnOutput(this, 'RetryQueueUrl', {
      value: this.pipeline.retryQueue.queueUrl,
      description: 'CTRs waiting for late recordings',
    });

    // The archive bucket's class rules live in the archive stack; Connect's bucket gets ours merged in.
    if (existing) {
      this.connectBucketLifecycle = new ConnectBucketLifecycle(this, 'ConnectBucketLifecycle', {
        envName: props.envName,
        bucketName: existing.bucketName,
        prefix: existing.prefix,
        retentionTagKey: props.retentionTagKey,
        retentionClasses: props.retentionClasses,
        noncurrentVersionExpirationDays: existing.noncurrentVersionExpirationDays,
        key: props.operationsKey,
      });
    }
  }
}
