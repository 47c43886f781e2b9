import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as path from 'path';
import { ArchiveFunction } from './archive-function';
import { nagBucketArns } from './nag-findings';

/** A bucket and the prefix under which the tagging function may read and write object tags. */
export interface TaggedLocation {
  /** The bucket (owned by this app or imported by name). */
  readonly bucket: s3.IBucket;
  /** Prefix of the recordings, ending with `/`. */
  readonly prefix: string;
}

/** Props for {@link CtrTaggingPipeline}. */
export interface CtrTaggingPipelineProps {
  /** Key for the dead-letter queue, logs and environment (never for the stream: Connect has no grant on it). */
  readonly key: kms.IKey;
  /**
   * ARN of the stream Connect already sends CTRs to.
   * @default - a new stream with `shardCount` shards, encrypted with the AWS managed key `aws/kinesis`
   */
  readonly existingStreamArn?: string;
  /**
   * Full ARN of the key of the existing stream, granted for decryption.
   * @default - no grant (the existing stream is unencrypted or uses the AWS managed key)
   */
  readonly existingStreamKeyArn?: string;
  /** Shards of the stream; sizes the function's reserved concurrency (shards x parallelization factor). */
  readonly shardCount: number;
  /** Records per invocation. */
  readonly batchSize: number;
  /** Concurrent batches per shard. */
  readonly parallelizationFactor: number;
  /** Retries of a failing batch before its records go to the dead-letter queue. */
  readonly retryAttempts: number;
  /** Age after which records go to the dead-letter queue unprocessed. */
  readonly maxRecordAge: Duration;
  /** Tag key of the retention class. */
  readonly retentionTagKey: string;
  /** Configured class names. */
  readonly retentionClasses: readonly string[];
  /** Class for contacts that name none or an unknown one. */
  readonly defaultRetentionClass: string;
  /**
   * Class name -> days: with it, the tagger locks each recording it tags until its class's day
   * where the bucket has Object Lock (s3:PutObjectRetention under the prefixes, never bypass).
   * @default - recordings are tagged, not locked
   */
  readonly retentionClassDays?: Readonly<Record<string, number>>;
  /** Records of one batch tagged at the same time. */
  readonly tagConcurrency: number;
  /** Reads of a recording not yet in S3 before its record fails. */
  readonly missingObjectAttempts: number;
  /** First wait between those reads, doubled each time. */
  readonly missingObjectDelay: Duration;
  /** Where the recordings named by CTRs live; the function gets tagging rights there only. */
  readonly locations: readonly TaggedLocation[];
  /** How long a CTR whose recording is late is retried from the retry queue before it is parked. */
  readonly lateRecordingHours: number;
}

/**
 * Connect CTRs -> Kinesis -> tagging function. A stream it creates is encrypted with the AWS
 * managed key `aws/kinesis`, which Connect writes to with no setup (its service-linked role has
 * no grant on a customer-managed key). The event source mapping starts at TRIM_HORIZON,
 * reports batch item failures, bisects failing batches, caps retries and record age, and sends
 * what still fails to a KMS-encrypted, TLS-only SQS dead-letter queue.
 */
export class CtrTaggingPipeline extends Construct {
  readonly stream: kinesis.IStream;
  /** The event source mapping's on-failure queue: shard and sequence ranges of batches that failed every retry. */
  readonly deadLetterQueue: sqs.Queue;
  /** CTRs whose recording has not reached S3 yet, each delayed up to 15 minutes. */
  readonly retryQueue: sqs.Queue;
  /** CTRs (with their payload) that could not be tagged and wait for `ctr:redrive`. */
  readonly parkedQueue: sqs.Queue;
  readonly tagger: ArchiveFunction;
  /** Consumes the retry queue with the same tagging logic. */
  readonly retryTagger: ArchiveFunction;
  readonly eventSource: sources.KinesisEventSource;

  constructor(scope: Construct, id: string, props: CtrTaggingPipelineProps) {
    super(scope, id);
    if (props.locations.length === 0) {
      throw new Error('CtrTaggingPipeline needs at least one recording location to grant tagging on.');
    }
    if (!props.retentionClasses.includes(props.defaultRetentionClass)) {
      throw new Error(
        `The default retention class '${props.defaultRetentionClass}' is not one of the retention classes.`,
      );
    }

    // The stream: Connect's existing one (it streams CTRs to one stream only), or our own. Ours uses
    // aws/kinesis: Connect's service-linked role could not write with the operations key, and the
    // tagger reads it with no key grant.
    this.stream = props.existingStreamArn
      ? kinesis.Stream.fromStreamArn(this, 'Stream', props.existingStreamArn)
      : new kinesis.Stream(this, 'Stream', {
          shardCount: props.shardCount,
          encryption: kinesis.StreamEncryption.MANAGED,
          retentionPeriod: Duration.days(7),
        });

    // Where records land after the retries; nothing consumes it, `ctr:redrive` reads the ranges back from the stream.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // It holds the shard positions of batches whose recordings are untagged: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of the CTR event source mapping; nothing reads from it, so no message can fail out of it.',
    });

    // CTRs that cannot be tagged yet or at all, with their payload: parked for `ctr:redrive`, and the
    // retry queue for late recordings, which moves a message it failed to process 5 times here unchanged.
    this.parkedQueue = new sqs.Queue(this, 'ParkedCtrQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.parkedQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the retry queue and holds parked CTRs; only ctr:redrive reads it and deletes a message after its recordings are tagged.',
    });
    const retryTaggerTimeout = Duration.minutes(1);
    this.retryQueue = new sqs.Queue(this, 'RetryQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Six times the consumer's timeout, as Lambda recommends for SQS event sources.
      visibilityTimeout: Duration.seconds(retryTaggerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.parkedQueue, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The function: one invocation per batch, one slot per (shard x parallelization factor).
    this.tagger = new ArchiveFunction(this, 'Tagger', {
      failureHandling:
        'The function is invoked only by its Kinesis event source mapping, whose on-failure destination is the dead-letter queue; it is never invoked asynchronously.',
      entry: path.join(__dirname, '..', '..', 'lambda', 'tag-recordings', 'handler.ts'),
      description: 'Tags Connect recordings with the retention class their contact flow chose',
      key: props.key,
      timeout: Duration.minutes(5),
      // Tagging is bound by the SDK's CPU (about 1.6 ms per record); 1,769 MB is one full vCPU,
      // the setting docs/connect.md's parallelization factor is computed for.
      memorySize: 1769,
      reservedConcurrentExecutions: Math.max(5, props.shardCount * props.parallelizationFactor),
      environment: {
        RETENTION_TAG_KEY: props.retentionTagKey,
        RETENTION_CLASSES: props.retentionClasses.join(','),
        DEFAULT_RETENTION_CLASS: props.defaultRetentionClass,
        ...(props.retentionClassDays ? { RETENTION_CLASS_DAYS: JSON.stringify(props.retentionClassDays) } : {}),
        TAG_CONCURRENCY: String(props.tagConcurrency),
        MISSING_OBJECT_ATTEMPTS: String(props.missingObjectAttempts),
        MISSING_OBJECT_DELAY_MS: String(props.missingObjectDelay.toMilliseconds()),
        RETRY_QUEUE_URL: this.retryQueue.queueUrl,
        PARKED_QUEUE_URL: this.parkedQueue.queueUrl,
      },
    });
    this.retryQueue.grantSendMessages(this.tagger.function);
    this.parkedQueue.grantSendMessages(this.tagger.function);

    // The retry consumer: the same tagging logic, one read per recording, re-queued with doubling delays.
    this.retryTagger = new ArchiveFunction(this, 'RetryTagger', {
      failureHandling:
        "The function is invoked only by its SQS event source mapping; a message it fails 5 times moves to the parked-CTR queue by the retry queue's redrive policy.",
      entry: path.join(__dirname, '..', '..', 'lambda', 'tag-recordings', 'retry-handler.ts'),
      description: 'Tags Connect recordings that reached S3 after their CTR, from the retry queue',
      key: props.key,
      timeout: retryTaggerTimeout,
      memorySize: 512,
      reservedConcurrentExecutions: 2,
      environment: {
        RETENTION_TAG_KEY: props.retentionTagKey,
        RETENTION_CLASSES: props.retentionClasses.join(','),
        DEFAULT_RETENTION_CLASS: props.defaultRetentionClass,
        TAG_CONCURRENCY: String(props.tagConcurrency),
        RETRY_QUEUE_URL: this.retryQueue.queueUrl,
        PARKED_QUEUE_URL: this.parkedQueue.queueUrl,
        LATE_RECORDING_HOURS: String(props.lateRecordingHours),
        ...(props.retentionClassDays ? { RETENTION_CLASS_DAYS: JSON.stringify(props.retentionClassDays) } : {}),
      },
    });
    this.retryTagger.function.addEventSource(
      new sources.SqsEventSource(this.retryQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
    this.retryQueue.grantSendMessages(this.retryTagger.function);
    this.parkedQueue.grantSendMessages(this.retryTagger.function);

    for (const fn of [this.tagger, this.retryTagger]) {
      // Per-object retention until the class's day where the bucket has Object Lock: read the bucket's
      // lock, list the recording's versions (its LastModified), read and lengthen its retention, under the
      // prefixes only. Never s3:BypassGovernanceRetention, so a retention can only grow.
      if (props.retentionClassDays) {
        fn.function.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetObjectRetention', 's3:PutObjectRetention'],
            resources: props.locations.map((l) => l.bucket.arnForObjects(`${l.prefix}*`)),
          }),
        );
        fn.function.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetBucketObjectLockConfiguration'],
            resources: props.locations.map((l) => l.bucket.bucketArn),
          }),
        );
        for (const location of props.locations) {
          fn.function.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['s3:ListBucketVersions'],
              resources: [location.bucket.bucketArn],
              conditions: { StringLike: { 's3:prefix': `${location.prefix}*` } },
            }),
          );
        }
      }
      // Tagging rights on the recording prefixes only; tags are read and written, objects never.
      fn.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
          resources: props.locations.map((l) => l.bucket.arnForObjects(`${l.prefix}*`)),
        }),
      );
      // Listing under each prefix: without s3:ListBucket, S3 answers a recording that is not there yet
      // with AccessDenied instead of NoSuchKey, and the function would park it instead of waiting.
      for (const location of props.locations) {
        fn.function.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:ListBucket'],
            resources: [location.bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': `${location.prefix}*` } },
          }),
        );
      }
      for (const location of props.locations) {
        for (const arn of nagBucketArns(location.bucket, Stack.of(this))) {
          Validations.of(fn.defaultPolicy).acknowledge({
            id: `AwsSolutions-IAM5[Resource::${arn}/${location.prefix}*]`,
            reason:
              'Connect names each recording at call time; tag reads and writes are scoped to the recordings prefix, and objects themselves cannot be read or written.',
          });
        }
      }
    }
    const policy = this.tagger.defaultPolicy;
    if (props.existingStreamKeyArn) {
      kms.Key.fromKeyArn(this, 'ExistingStreamKey', props.existingStreamKeyArn).grantDecrypt(this.tagger.function);
    }

    this.eventSource = new sources.KinesisEventSource(this.stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize,
      parallelizationFactor: props.parallelizationFactor,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: props.retryAttempts,
      maxRecordAge: props.maxRecordAge,
      onFailure: new sources.SqsDlq(this.deadLetterQueue),
    });
    this.tagger.function.addEventSource(this.eventSource);
    // The on-failure destination's grant (queue.grantSendMessages) includes these KMS wildcards.
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'CDK grants these on the operations key so the event source mapping can send failed batches to the encrypted dead-letter queue; the key encrypts no recordings.',
      });
      Validations.of(this.retryTagger.defaultPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'CDK grants these on the operations key so the function can send to and receive from the encrypted retry and parked-CTR queues; the key encrypts no recordings.',
      });
    }
  }
}
