import { prod } from './environments/prod';
import { sample } from './environments/sample';
import { ArchiveConfig, EnvironmentConfigInput } from './schema';
import { resolveConfig } from './validate';

export * from './connect-schema';
export * from './cost-allocation-schema';
export * from './cost-warnings';
export * from './genesys-integration-schema';
export * from './operations-schema';
export * from './presets';
export * from './schema';
export * from './validate';

/** Every committed environment, selected with `-c env=NAME`. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfigInput>> = { sample, prod };

/** Validates the named environment; unknown names list the committed ones. */
export function loadConfig(envName: string): ArchiveConfig {
  const input = ENVIRONMENTS[envName];
  if (!input) {
    throw new Error(
      `Environment "${envName}" is not committed; pass -c env=NAME with one of: ${Object.keys(ENVIRONMENTS).join(', ')} (or add lib/config/environments/${envName}.ts).`,
    );
  }
  return resolveConfig(envName, input);
}
