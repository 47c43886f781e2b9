import { ArchiveConfig } from '../../lib/config';
import { buildEnvironment, ENVIRONMENT_NAMES } from '../support/app';
import { StackTemplate } from './resolve-template';

/** One committed environment, synthesized in process the way bin/app.ts does. */
export interface EnvironmentTemplates {
  readonly envName: string;
  readonly config: ArchiveConfig;
  /** Every stack of the environment, whichever stacks the app creates. */
  readonly stacks: readonly StackTemplate[];
}

/**
 * Synthesizes every stack of one environment (Lambda bundling off: assets do not affect policies):
 * a committed one, or `config` when given.
 */
export function synthesizeEnvironment(envName: string, config?: ArchiveConfig): EnvironmentTemplates {
  const { app, config: resolved } = buildEnvironment(envName, {}, config);
  const assembly = app.synth();
  const stacks = assembly.stacksRecursively.map((artifact) => ({
    stackName: artifact.stackName,
    account: artifact.environment.account,
    region: artifact.environment.region,
    template: structuredClone(artifact.template) as Record<string, unknown>,
  }));
  return { envName, config: resolved, stacks };
}

/** Every committed environment's name, in the order of lib/config. */
export const ACCESS_ENVIRONMENTS: readonly string[] = ENVIRONMENT_NAMES;
