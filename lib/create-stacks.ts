import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ArchiveConfig, costAllocationTags, replicaTarget } from './config';
import { FINDING_TYPES, INTEGRITY_METRICS } from '../lambda/pointer-integrity/findings';
import { dailyFunctionMetric } from './constructs/alarm-on-any';
import { ArchiveDashboard } from './constructs/archive-dashboard';
import { RECORDINGS_METRICS_FILTER_ID } from './constructs/archive-write-alarms';
import { ArchiveStack } from './stacks/archive-stack';
import { ConnectRetentionStack } from './stacks/connect-retention-stack';
import { GenesysIntegrationStack } from './stacks/genesys-integration-stack';
import { ReplicaStack } from './stacks/replica-stack';

/** The stacks of one environment. */
export interface RecordingArchiveStacks {
  readonly archive: ArchiveStack;
  readonly genesys?: GenesysIntegrationStack;
  readonly connect?: ConnectRetentionStack;
  /** The app-owned replica, in `replication.region`. */
  readonly replica?: ReplicaStack;
}

/** Wires one environment's stacks; called by bin/app.ts and by the tests. */
export function createStacks(app: App, config: ArchiveConfig): RecordingArchiveStacks {
  const env = { account: config.account, region: config.region };
  const common = { env, terminationProtection: config.terminationProtection };
  const name = (suffix: string) => `RecordingArchive-${config.envName}-${suffix}`;

  // The replica's bucket and key are named from the config, so the archive stack replicates into
  // them without a cross-region reference; the replica stack deploys first.
  const replica = replicaTarget(config)?.appOwned
    ? new ReplicaStack(app, name('Replica'), {
        env: { account: config.account, region: config.replication!.region },
        terminationProtection: config.terminationProtection,
        config,
        description: `recording-archive (${config.envName}): stateful cross-region replica of the archive`,
      })
    : undefined;

  const archive = new ArchiveStack(app, name('Archive'), {
    ...common,
    config,
    description: `recording-archive (${config.envName}): stateful archive of call recordings`,
  });
  if (replica) archive.addStackDependency(replica, 'replication writes into the replica bucket with the replica key');

  const genesys = config.genesysIntegration
    ? new GenesysIntegrationStack(app, name('Genesys'), {
        ...common,
        description: `recording-archive (${config.envName}): Genesys connection and integrity checks`,
        envName: config.envName,
        config,
        integration: config.genesysIntegration,
        bucket: archive.bucket,
        key: archive.key,
        genesysRole: archive.genesysRole,
        operationsKey: archive.operationsKey,
        alarmTopic: archive.alarmTopic,
      })
    : undefined;

  const connect = config.connect
    ? new ConnectRetentionStack(app, name('Connect'), {
        ...common,
        description: `recording-archive (${config.envName}): Connect CTR tagging and retention classes`,
        envName: config.envName,
        connect: config.connect,
        retentionTagKey: config.retention.tagKey,
        retentionClasses: config.retention.classes,
        defaultRetentionClass: config.retention.defaultClass,
        bucket: archive.bucket,
        archivePrefix: config.recordingsPrefix,
        operationsKey: archive.operationsKey,
        archiveKey: archive.key,
        alarmTopic: archive.alarmTopic,
        batchOperationsRoleArn: archive.operations.batchOperationsRole.roleArn,
      })
    : undefined;

  // One dashboard per environment, in the stack that owns most of its metrics (Connect's
  // tagging and queues; else the Genesys checks); each stack passes what it owns.
  new ArchiveDashboard(connect ?? genesys ?? archive, 'Dashboard', {
    envName: config.envName,
    genesysExports: new cloudwatch.Metric({
      namespace: 'AWS/S3',
      metricName: 'PutRequests',
      dimensionsMap: { BucketName: archive.bucket.bucketName, FilterId: RECORDINGS_METRICS_FILTER_ID },
      statistic: 'Sum',
      period: Duration.hours(1),
      label: 'objects created under the recordings prefix',
    }),
    deniedWrites: genesys && [genesys.writeAlarms.deniedWritesAlarm.metric],
    taggingThroughput: connect && [
      connect.pipeline.stream.metricIncomingRecords({ label: 'CTRs into the stream' }),
      connect.pipeline.stream.metricGetRecords({ label: 'CTRs read by the tagger' }),
      connect.pipeline.tagger.function.metricInvocations({ label: 'tagger invocations' }),
    ],
    iteratorAge: connect?.alarms.iteratorAge.metric,
    queues: connect && [
      { label: 'CTR dead letters (shard ranges)', queue: connect.pipeline.deadLetterQueue },
      { label: 'late recordings (retry queue)', queue: connect.pipeline.retryQueue },
      { label: 'parked CTRs', queue: connect.pipeline.parkedQueue },
    ],
    integrityFindings:
      genesys &&
      FINDING_TYPES.map((type) =>
        dailyFunctionMetric({
          namespace: INTEGRITY_METRICS.namespace,
          metricName: type,
          service: INTEGRITY_METRICS.service,
          envName: config.envName,
          statistic: 'Sum',
        }),
      ),
    cidrDrift: genesys?.ipRangesDriftCheck.driftAlarm.metric,
    customResourceFailures: [
      ...(genesys
        ? [
            genesys.connection.onEventFunction.function.metricErrors({ label: 'Genesys connection (onEvent)' }),
            genesys.connection.isCompleteFunction.function.metricErrors({ label: 'Genesys connection (isComplete)' }),
            genesys.exportPolicy.onEventFunction.function.metricErrors({ label: 'Genesys export policy' }),
          ]
        : []),
      ...(connect?.connectBucketLifecycle
        ? [connect.connectBucketLifecycle.onEvent.function.metricErrors({ label: 'Connect bucket lifecycle' })]
        : []),
    ],
  });

  // Cost allocation tags on every taggable resource of every stack.
  const tags = costAllocationTags(config.envName, config.costAllocation);
  const stacks: Stack[] = [
    archive,
    ...(genesys ? [genesys] : []),
    ...(connect ? [connect] : []),
    ...(replica ? [replica] : []),
  ];
  for (const stack of stacks) {
    for (const [key, value] of Object.entries(tags)) Tags.of(stack).add(key, value);
  }

  return { archive, genesys, connect, replica };
}
