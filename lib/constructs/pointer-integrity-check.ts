import * as path from 'path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { alarmOnAny, dailyFunctionMetric } from './alarm-on-any';
import { INTEGRITY_METRICS } from '../../lambda/pointer-integrity/findings';
import { ArchiveFunction } from './archive-function';
import { nagBucketArns } from './nag-findings';
import type { MeasuredCopy } from '../retention/copies';

/** Key prefix of the check's JSON reports in the archive bucket. */
export const INTEGRITY_REPORT_PREFIX = 'reports/pointer-integrity/';

/** Props for {@link PointerIntegrityCheck}. */
export interface PointerIntegrityCheckProps {
  /** Environment name (the metrics' `Environment` dimension). */
  readonly envName: string;
  /** The archive bucket: listed, sampled, and where reports are written. */
  readonly bucket: s3.IBucket;
  /** The archive key: every object must be encrypted with it; reports are written with it. */
  readonly key: kms.IKey;
  /** Encrypts the function's logs and environment and the continuation topic. */
  readonly operationsKey: kms.IKey;
  /** The environment's topic: alarms and run summaries with findings. */
  readonly alarmTopic: sns.ITopic;
  /** EventBridge schedule expression of a run, e.g. `cron(0 3 ? * SUN *)`. */
  readonly schedule: string;
  /** Days back that Genesys exports are checked and objects' encryption and tags are read; at least the schedule's interval. */
  readonly lookbackDays: number;
  /** Prefix of every recording, ending with `/`. */
  readonly recordingsPrefix: string;
  /** Genesys export layout under the prefix. */
  readonly keyLayout: string;
  /** Genesys organization id (the layout's first segment). */
  readonly organizationId: string;
  /** Days Genesys keeps its own copy (T4). */
  readonly platformRetentionDays: number;
  /** Days of date partitions listed back from a run's start: the archive's retention window. */
  readonly horizonDays: number;
  /** Tag key of the Connect retention class. */
  readonly retentionTagKey: string;
  /** Known retention class names. */
  readonly retentionClasses: readonly string[];
  /**
   * Connect's recordings, whose retention tags are checked.
   * @default - no Connect recordings are checked
   */
  readonly connectRecordings?: {
    readonly bucketName: string;
    readonly prefix: string;
    /** The bucket itself, when it is this app's (the archive, for `connect.recordIntoArchive`). @default - imported by name */
    readonly bucket?: s3.IBucket;
  };
  /**
   * The Genesys organization's region and the OAuth secret of the rate-limited Genesys client,
   * to check that recordings Genesys reports as exported are in the archive.
   * @default - exports are not checked
   */
  readonly genesys?: { readonly region: string; readonly oauthSecretName: string };
  /**
   * Hours after its start a Genesys recording may go without `exportedDate` before it is a NotExported finding.
   * @default 24
   */
  readonly exportGraceHours?: number;
  /**
   * The export policy's conditions: recordings of conversations it covers must be exported
   * (queues and wrap-up codes by id; empty lists match everything).
   * @default - calls, no conditions
   */
  readonly exportCoverage?: {
    readonly mediaTypes: readonly string[];
    readonly queueIds: readonly string[];
    readonly directions: readonly string[];
    readonly wrapupCodeIds: readonly string[];
  };
  /**
   * S3 requests in flight at once (and partitions listed at once).
   * @default 16
   */
  readonly concurrency?: number;
  /**
   * Copies whose over-retention is measured (RetainedPastDay, NoncurrentPastDay), with the rules
   * their lifecycle is built with ({@link measuredCopies}): every version of each is listed.
   * @default - over-retention is not measured
   */
  readonly measuredCopies?: readonly MeasuredCopy[];
}

/**
 * The weekly pointer-integrity check: a scheduled function that lists the archive partition by
 * partition, reconciles recordings, sidecars, encryption, retention tags and expirations (and,
 * through the Genesys side, exported recordings), continues itself through an SNS topic when it
 * nears its time limit, writes JSON reports under `reports/pointer-integrity/`, emits one metric
 * per finding type, and alarms on any finding or failure.
 */
export class PointerIntegrityCheck extends Construct {
  readonly function: ArchiveFunction;
  readonly rule: events.Rule;
  /** Carries a run's state from one invocation to the next. */
  readonly continuationTopic: sns.Topic;
  /** In ALARM after an invocation that found anything, until a clean invocation. */
  readonly findingsAlarm: cloudwatch.Alarm;
  /** In ALARM when an invocation failed (the run stopped). */
  readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PointerIntegrityCheckProps) {
    super(scope, id);
    if (props.retentionClasses.length === 0) {
      throw new Error(
        'PointerIntegrityCheck: retentionClasses is empty; give the retention class names the tagger writes.',
      );
    }
    const stack = Stack.of(this);
    const genesysPrefix = `${props.recordingsPrefix}${props.organizationId}/`;
    const measured = props.measuredCopies ?? [];
    const bucketOf = (copy: MeasuredCopy) => copy.bucketName ?? props.bucket.bucketName;
    const overRetention =
      measured.length > 0
        ? {
            OVER_RETENTION: stack.toJsonString({
              copies: measured.map((copy) => ({
                copy: copy.copy,
                bucket: bucketOf(copy),
                ...(copy.region === undefined ? {} : { region: copy.region }),
                noncurrentDays: copy.noncurrentDays,
                // Tags only where a rule has them: the variable stays small (Lambda allows 4 KB in all).
                rules: copy.rules.map(({ id, prefix, tags, days }) => ({
                  id,
                  prefix,
                  ...(Object.keys(tags).length > 0 ? { tags } : {}),
                  days,
                })),
                ...(copy.list === undefined ? {} : { list: copy.list }),
              })),
            }),
          }
        : undefined;

    // The topic each invocation publishes its state to when it runs out of time; the function subscribes to it.
    this.continuationTopic = new sns.Topic(this, 'Continuation', {
      displayName: 'pointer-integrity run continuation',
      masterKey: props.operationsKey,
      enforceSSL: true,
    });

    this.function = new ArchiveFunction(this, 'Check', {
      failureHandling:
        'Failed invocations go to the on-failure destination (the alarm topic) with their event, which is the run state needed to resume, and raise FailureAlarm; a dead-letter queue would hold the same event unseen.',
      entry: path.join(__dirname, '..', '..', 'lambda', 'pointer-integrity', 'handler.ts'),
      description: 'Weekly pointer-integrity check of the recording archive',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      key: props.operationsKey,
      // One invocation at a time: a run is a chain of invocations, never two in parallel.
      reservedConcurrentExecutions: 1,
      environment: {
        POWERTOOLS_SERVICE_NAME: INTEGRITY_METRICS.service,
        ENVIRONMENT_NAME: props.envName,
        ARCHIVE_BUCKET: props.bucket.bucketName,
        ARCHIVE_KEY_ARN: props.key.keyArn,
        RECORDINGS_PREFIX: props.recordingsPrefix,
        KEY_LAYOUT: props.keyLayout,
        GENESYS_ORG_ID: props.organizationId,
        PLATFORM_RETENTION_DAYS: String(props.platformRetentionDays),
        HORIZON_DAYS: String(props.horizonDays),
        LOOKBACK_DAYS: String(props.lookbackDays),
        RETENTION_TAG_KEY: props.retentionTagKey,
        RETENTION_CLASSES: props.retentionClasses.join(','),
        REPORT_PREFIX: INTEGRITY_REPORT_PREFIX,
        ALARM_TOPIC_ARN: props.alarmTopic.topicArn,
        CONTINUATION_TOPIC_ARN: this.continuationTopic.topicArn,
        CONCURRENCY: String(props.concurrency ?? 16),
        EXPORT_GRACE_HOURS: String(props.exportGraceHours ?? 24),
        EXPORT_MEDIA_TYPES: (props.exportCoverage?.mediaTypes ?? ['call']).join(','),
        EXPORT_QUEUE_IDS: (props.exportCoverage?.queueIds ?? []).join(','),
        EXPORT_DIRECTIONS: (props.exportCoverage?.directions ?? []).join(','),
        EXPORT_WRAPUP_CODE_IDS: (props.exportCoverage?.wrapupCodeIds ?? []).join(','),
        ...(props.connectRecordings
          ? { CONNECT_BUCKET: props.connectRecordings.bucketName, CONNECT_PREFIX: props.connectRecordings.prefix }
          : {}),
        ...(props.genesys
          ? { GENESYS_REGION: props.genesys.region, GENESYS_OAUTH_SECRET_NAME: props.genesys.oauthSecretName }
          : {}),
        ...overRetention,
      },
    });
    const fn = this.function.function;

    // No automatic retries: a retried invocation could publish a second continuation. A failed
    // invocation's event (the run state) goes to the alarm topic, so the run can be resumed by hand.
    // The role's own statements below allow the publish; CDK's SnsDestination would add a kms:GenerateDataKey* wildcard.
    const alarmTopicDestination: lambda.IDestination = { bind: () => ({ destination: props.alarmTopic.topicArn }) };
    fn.configureAsyncInvoke({ retryAttempts: 0, onFailure: alarmTopicDestination });
    this.continuationTopic.addSubscription(new subscriptions.LambdaSubscription(fn));

    // Least privilege: list and read the Genesys layout, read the lifecycle, write reports only.
    const objectsOfGenesys = props.bucket.arnForObjects(`${genesysPrefix}*`);
    const reports = props.bucket.arnForObjects(`${INTEGRITY_REPORT_PREFIX}*`);
    const statements = [
      new iam.PolicyStatement({
        sid: 'ListGenesysPartitions',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${genesysPrefix}*`] } },
      }),
      // HeadObject is authorized by s3:GetObject; it reads encryption headers, never the recording.
      new iam.PolicyStatement({ sid: 'HeadGenesysObjects', actions: ['s3:GetObject'], resources: [objectsOfGenesys] }),
      new iam.PolicyStatement({
        sid: 'ReadLifecycle',
        actions: ['s3:GetLifecycleConfiguration'],
        resources: [props.bucket.bucketArn],
      }),
      new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject'], resources: [reports] }),
      new iam.PolicyStatement({
        sid: 'EncryptReportsThroughS3',
        actions: ['kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
      new iam.PolicyStatement({
        sid: 'PublishFindingsAndContinuations',
        actions: ['sns:Publish'],
        resources: [props.alarmTopic.topicArn, this.continuationTopic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'UseOperationsKeyForTopics',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.operationsKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com` } },
      }),
    ];
    const connect = props.connectRecordings;
    const connectBucket =
      connect && (connect.bucket ?? s3.Bucket.fromBucketName(this, 'ConnectBucket', connect.bucketName));
    if (connectBucket && connect) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ListConnectRecordings',
          actions: ['s3:ListBucket'],
          resources: [connectBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${connect.prefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadConnectRetentionTags',
          actions: ['s3:GetObjectTagging'],
          resources: [connectBucket.arnForObjects(`${connect.prefix}*`)],
        }),
      );
    }
    // Over-retention: every version of each measured copy, under the prefixes the check lists.
    const versionsOf = (sid: string, bucketArn: string, prefix: string) =>
      new iam.PolicyStatement({
        sid,
        actions: ['s3:ListBucketVersions'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      });
    const secondConnect: Array<{ bucket: s3.IBucket; prefix: string }> = [];
    for (const copy of measured) {
      if (copy.list === undefined && copy.bucketName === undefined) {
        statements.push(versionsOf('ListGenesysVersions', props.bucket.bucketArn, genesysPrefix));
      } else if (copy.list === undefined && connectBucket && connect) {
        // The Connect location whose tags are checked is listed by the Connect partitions.
        if (bucketOf(copy) === connect.bucketName) {
          statements.push(versionsOf('ListConnectVersions', connectBucket.bucketArn, connect.prefix));
        }
      } else if (copy.list?.layout === 'genesys') {
        const arn = stack.formatArn({ service: 's3', region: '', account: '', resource: bucketOf(copy) });
        statements.push(versionsOf('ListReplicaVersions', arn, genesysPrefix));
      } else if (copy.list?.layout === 'connect') {
        const bucket = s3.Bucket.fromBucketName(this, 'MeasuredConnectBucket', bucketOf(copy));
        secondConnect.push({ bucket, prefix: copy.list.prefix });
        statements.push(
          versionsOf('ListConnectBucketVersions', bucket.bucketArn, copy.list.prefix),
          new iam.PolicyStatement({
            sid: 'ReadConnectBucketRetentionTags',
            actions: ['s3:GetObjectTagging'],
            resources: [bucket.arnForObjects(`${copy.list.prefix}*`)],
          }),
        );
      }
    }
    // The archive is also the Connect location when Connect records into it.
    if (
      connectBucket &&
      connect &&
      measured.some((c) => c.bucketName === undefined) &&
      connect.bucket === props.bucket
    ) {
      statements.push(versionsOf('ListConnectVersions', connectBucket.bucketArn, connect.prefix));
    }
    for (const statement of statements) fn.addToRolePolicy(statement);
    if (props.genesys) {
      secretsmanager.Secret.fromSecretNameV2(this, 'OAuthSecret', props.genesys.oauthSecretName).grantRead(fn);
    }

    const policy = this.function.defaultPolicy;
    for (const arn of nagBucketArns(props.bucket, stack)) {
      Validations.of(policy).acknowledge(
        {
          id: `AwsSolutions-IAM5[Resource::${arn}/${genesysPrefix}*]`,
          reason:
            'HeadObject on any exported recording or sidecar of the organization; keys are named by Genesys at export time.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::${arn}/${INTEGRITY_REPORT_PREFIX}*]`,
          reason: 'Writes its own report files, named by run and invocation, under the reports prefix only.',
        },
      );
    }
    for (const { bucket, prefix } of secondConnect) {
      for (const arn of nagBucketArns(bucket, stack)) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}/${prefix}*]`,
          reason:
            "Reads the retention tag of old Connect recordings in Connect's own bucket to measure over-retention; Connect names each recording.",
        });
      }
    }
    if (connectBucket && connect) {
      for (const arn of nagBucketArns(connectBucket, stack)) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${arn}/${connect.prefix}*]`,
          reason: "Reads the retention tag of Connect's recordings under its prefix; Connect names each recording.",
        });
      }
    }

    // Weekly start; later invocations of the same run come from the continuation topic.
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Starts the weekly pointer-integrity check',
      schedule: events.Schedule.expression(props.schedule),
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(2) })],
    });

    // IGNORE keeps the alarm in ALARM between runs, until an invocation reports zero findings.
    this.findingsAlarm = alarmOnAny(this, 'FindingsAlarm', {
      description: `The pointer-integrity check of ${props.envName} found discrepancies; read the run's summary under s3://<archive>/${INTEGRITY_REPORT_PREFIX} and the finding table in docs/integrity.md.`,
      metric: dailyFunctionMetric({
        namespace: INTEGRITY_METRICS.namespace,
        metricName: INTEGRITY_METRICS.findings,
        service: INTEGRITY_METRICS.service,
        envName: props.envName,
        statistic: cloudwatch.Stats.SUM,
      }),
      topic: props.alarmTopic,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.failureAlarm = alarmOnAny(this, 'FailureAlarm', {
      description: `An invocation of the pointer-integrity check of ${props.envName} failed and its run stopped; read the log group, fix, and re-invoke with the state from the alarm topic.`,
      metric: fn.metricErrors({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM }),
      topic: props.alarmTopic,
    });
  }
}
