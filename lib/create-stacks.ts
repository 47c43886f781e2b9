import { App } from 'aws-cdk-lib';
import { ArchiveConfig } from './config';
import { ArchiveStack } from './stacks/archive-stack';

/** The stacks of one environment. */
export interface RecordingArchiveStacks {
  readonly archive: ArchiveStack;
}

/** Wires one environment's stacks; called by bin/app.ts and by the tests. */
export function createStacks(app: App, config: ArchiveConfig): RecordingArchiveStacks {
  const env = { account: config.account, region: config.region };
  const archive = new ArchiveStack(app, `RecordingArchive-${config.envName}-Archive`, {
    env,
    config,
    terminationProtection: config.terminationProtection,
    description: `recording-archive (${config.envName}): stateful archive of call recordings`,
  });
  return { archive };
}
