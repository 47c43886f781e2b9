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
  /** Records of one batch tagged at the same time. */
  readonly tagConcurrency: number;
  /** Reads of a recording not yet in S3 before its record fails. */
  readonly missingObjectAttempts: number;
  /** First wait between those reads, doubled each time. */
  readonly missingObjectDelay: Duration;
  /** Where the recordings named by CTRs live; the function gets tagging rights there only. */
  readonly locations: readonly TaggedLocation[];
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
  readonly deadLetterQueue: sqs.Queue;
  readonly tagger: ArchiveFunction;
  readonly eventSource: sources.KinesisEventSource;

  constructor(scope: Construct, id: string, props: CtrTaggingPipelineProps) {
    super(scope, id);
    if (props.locations.length === 0) {
      throw new Error('CtrTaggingPipeline needs at least one recording location to grant tagging on.');
    }
    if (!props.retentionClasses.includes(props.defaultRetentionClass)) {
      throw new Error(`The default retention class '${props.defaultRetentionClass}' is not one of the retention classes.`);
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

    // Where records land after the retries; nothing consumes it, operators redrive by replay.
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
      reason: 'This queue is the on-failure destination of the CTR event source mapping; nothing reads from it, so no message can fail out of it.',
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
        TAG_CONCURRENCY: String(props.tagConcurrency),
        MISSING_OBJECT_ATTEMPTS: String(props.missingObjectAttempts),
        MISSING_OBJECT_DELAY_MS: String(props.missingObjectDelay.toMilliseconds()),
      },
    });

    // Tagging rights on the recording prefixes only; tags are read and written, objects never.
    this.tagger.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
        resources: props.locations.map((l) => l.bucket.arnForObjects(`${l.prefix}*`)),
      }),
    );
    // Listing under each prefix: without s3:ListBucket, S3 answers a recording that is not there yet
    // with AccessDenied instead of NoSuchKey, and the function would fail it instead of waiting.
    for (const location of props.locations) {
      this.tagger.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [location.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${location.prefix}*` } },
        }),
      );
    }
    const policy = this.tagger.defaultPolicy;
    for (const location of props.locations) {
      for (const arn of nagBucketArns(location.bucket, Stack.of(this))) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}/${location.prefix}*]`,
          reason: 'Connect names each recording at call time; tag reads and writes are scoped to the recordings prefix, and objects themselves cannot be read or written.',
        });
      }
    }
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
        reason: 'CDK grants these on the operations key so the event source mapping can send failed batches to the encrypted dead-letter queue; the key encrypts no recordings.',
      });
    }
  }
}
