import * as path from 'path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnAny } from './alarm-on-any';
import { ArchiveFunction } from './archive-function';
import { nagBucketArns } from './nag-findings';

/** Props for {@link RecordingRetentionLock}. */
export interface RecordingRetentionLockProps {
  /** The bucket whose new versions are locked (EventBridge notifications must be on). */
  readonly bucket: s3.IBucket;
  /** Prefix of the objects to lock, ending with `/` (Genesys exports: recordings prefix + org id). */
  readonly prefix: string;
  /** Days after the write each version stays locked: the day its lifecycle expiration fires. */
  readonly lockDays: number;
  /** Key for the function's logs and environment and for the parked-event queue. */
  readonly key: kms.Key;
  /** Topic the parked-event alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** What the alarm names. */
  readonly description: string;
}

/**
 * Per-object retention for every new version under a prefix: an EventBridge rule on S3's
 * `Object Created` events invokes a function that sets RetainUntilDate = LastModified +
 * `lockDays` (PutObjectRetention, never shortened, never bypassing governance retention).
 * Failed invocations are retried by Lambda, then parked with their payload in a queue that raises
 * an alarm; undeliverable events land in the same queue.
 */
export class RecordingRetentionLock extends Construct {
  readonly function: ArchiveFunction;
  readonly rule: events.Rule;
  /** Events that could not be locked, with their payload (Lambda on-failure destination and rule DLQ). */
  readonly parked: sqs.Queue;
  readonly parkedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RecordingRetentionLockProps) {
    super(scope, id);
    if (!props.prefix.endsWith('/'))
      throw new Error(`RecordingRetentionLock: the prefix '${props.prefix}' must end with '/'.`);

    // Where a failed lock waits, with its event, for a redrive.
    this.parked = new sqs.Queue(this, 'Parked', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The function: ListObjectVersions for LastModified, GetObjectRetention, then PutObjectRetention.
    this.function = new ArchiveFunction(this, 'Lock', {
      failureHandling:
        'Lambda retries a failed asynchronous invocation twice, then its on-failure destination parks the event with its payload in the Parked queue, which raises ParkedAlarm.',
      entry: path.join(__dirname, '..', '..', 'lambda', 'lock-recordings', 'handler.ts'),
      description: `Locks each new version under ${props.prefix} until its expiration day (${props.lockDays} days)`,
      key: props.key,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 20,
      environment: { LOCK_DAYS: String(props.lockDays) },
    });
    this.function.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.parked),
    });

    // Least privilege: read the bucket's lock, read and lengthen retention under the prefix only.
    const objects = props.bucket.arnForObjects(`${props.prefix}*`);
    this.function.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketObjectLockConfiguration'],
        resources: [props.bucket.bucketArn],
      }),
    );
    this.function.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucketVersions'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${props.prefix}*` } },
      }),
    );
    this.function.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObjectRetention', 's3:PutObjectRetention'], resources: [objects] }),
    );

    this.rule = new events.Rule(this, 'ObjectCreated', {
      description: `Locks new versions under ${props.prefix}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [{ prefix: props.prefix }] } },
      },
      targets: [
        new targets.LambdaFunction(this.function.function, {
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.parked,
        }),
      ],
    });
    // EventBridge writes undeliverable events into the KMS-encrypted queue. The rule's ARN would make
    // the key policy depend on the rule (a cycle through the function's log group), so the account bounds it.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToParkUndeliverableEvents',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    const policy = this.function.defaultPolicy;
    // The on-failure destination's grant (queue.grantSendMessages) includes these KMS wildcards.
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'CDK grants these on the operations key so failed invocations can be parked in the encrypted queue; the key encrypts no recordings.',
      });
    }
    for (const arn of nagBucketArns(props.bucket, Stack.of(this))) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}/${props.prefix}*]`,
        reason:
          'Each recording is named at export time; the function may read and lengthen retention under the prefix only, and cannot read or delete objects.',
      });
    }
    Validations.of(this.parked).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the Lock function's on-failure destination and its rule's dead-letter queue; it is read only by a redrive, so no message can fail out of it.",
    });

    this.parkedAlarm = alarmOnAny(this, 'ParkedAlarm', {
      description: `${props.description}: a new version could not be locked until its expiration day; read the Lock function's log and redrive the Parked queue.`,
      metric: this.parked.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      topic: props.alarmTopic,
    });
  }
}
