import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as path from 'path';
import { ArchiveConfig, ENVIRONMENTS, EnvironmentConfigInput, loadConfig, resolveConfig } from '../../lib/config';
import { createStacks, RecordingArchiveStacks } from '../../lib/create-stacks';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
export function cdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return cdkJson.context;
}

export interface SynthOptions {
  /** Bundle Lambda code with esbuild (slow); off by default, assets are then placeholders. */
  readonly bundle?: boolean;
}

export interface SynthResult {
  readonly app: App;
  readonly config: ArchiveConfig;
  readonly stacks: RecordingArchiveStacks;
}

/** Builds one environment's stacks the way bin/app.ts does. */
export function buildEnvironment(envName: string, options: SynthOptions = {}, config?: ArchiveConfig): SynthResult {
  const context: Record<string, unknown> = { ...cdkContext(), env: envName };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context });
  const resolved = config ?? loadConfig(envName);
  return { app, config: resolved, stacks: createStacks(app, resolved) };
}

/** A committed environment with some fields changed, validated like the real ones. */
export function configWith(
  envName: string,
  change: (input: EnvironmentConfigInput) => EnvironmentConfigInput,
): ArchiveConfig {
  const input = structuredClone<EnvironmentConfigInput>(ENVIRONMENTS[envName]);
  return resolveConfig(envName, change(input));
}

/** Template of the archive stack of a committed environment. */
export function archiveTemplate(envName = 'sample'): Template {
  return Template.fromStack(buildEnvironment(envName).stacks.archive);
}

/** Every committed environment's name. */
export const ENVIRONMENT_NAMES = Object.keys(ENVIRONMENTS);
