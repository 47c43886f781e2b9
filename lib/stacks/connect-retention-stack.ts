import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ConnectSchema } from '../config';
import { ConnectBucketLifecycle } from '../constructs/connect-bucket-lifecycle';
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
  /** Topic every alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

/** CTR stream -> tagging function -> tag-filtered lifecycle, optional per environment. */
export class ConnectRetentionStack extends Stack {
  readonly pipeline: CtrTaggingPipeline;
  readonly alarms: CtrTaggingAlarms;
  readonly connectBucketLifecycle?: ConnectBucketLifecycle;

  constructor(scope: Construct, id: string, props: ConnectRetentionStackProps) {
    super(scope, id, props);
    const { connect } = props;
    const existing = connect.existingRecordingBucket;

    // Recordings are tagged in the archive bucket and, when configured, in Connect's own bucket.
    const locations: TaggedLocation[] = [{ bucket: props.bucket, prefix: props.archivePrefix }];
    if (existing) {
      locations.push({ bucket: s3.Bucket.fromBucketName(this, 'ConnectBucket', existing.bucketName), prefix: existing.prefix });
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
      tagConcurrency: connect.tagConcurrency,
      missingObjectAttempts: connect.missingObjectAttempts,
      missingObjectDelay: Duration.millis(connect.missingObjectDelayMs),
      locations,
    });

    this.alarms = new CtrTaggingAlarms(this, 'Alarms', {
      tagger: this.pipeline.tagger.function,
      deadLetterQueue: this.pipeline.deadLetterQueue,
      alarmTopic: props.alarmTopic,
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
