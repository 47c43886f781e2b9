import { App, Stack, Tags } from 'aws-cdk-lib';
import { ArchiveConfig, costAllocationTags } from './config';
import { ArchiveStack } from './stacks/archive-stack';
import { ConnectRetentionStack } from './stacks/connect-retention-stack';
import { GenesysIntegrationStack } from './stacks/genesys-integration-stack';

/** The stacks of one environment. */
export interface RecordingArchiveStacks {
  readonly archive: ArchiveStack;
  readonly genesys?: GenesysIntegrationStack;
  readonly connect?: ConnectRetentionStack;
}

/** Wires one environment's stacks; called by bin/app.ts and by the tests. */
export function createStacks(app: App, config: ArchiveConfig): RecordingArchiveStacks {
  const env = { account: config.account, region: config.region };
  const common = { env, terminationProtection: config.terminationProtection };
  const name = (suffix: string) => `RecordingArchive-${config.envName}-${suffix}`;

  const archive = new ArchiveStack(app, name('Archive'), {
    ...common,
    config,
    description: `recording-archive (${config.envName}): stateful archive of call recordings`,
  });

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
        alarmTopic: archive.alarmTopic,
      })
    : undefined;

  // Cost allocation tags on every taggable resource of every stack.
  const tags = costAllocationTags(config.envName, config.costAllocation);
  const stacks: Stack[] = [archive, ...(genesys ? [genesys] : []), ...(connect ? [connect] : [])];
  for (const stack of stacks) {
    for (const [key, value] of Object.entries(tags)) Tags.of(stack).add(key, value);
  }

  return { archive, genesys, connect };
}
