import * as fs from 'fs';
import * as path from 'path';
import { base } from './environments/base';
import { ArchiveConfig, EnvironmentConfigInput, EnvironmentOverrides } from './schema';
import { environmentFile, resolveConfig } from './validate';

export * from './connect-schema';
export * from './cost-allocation-schema';
export * from './cost-warnings';
export * from './genesys-integration-schema';
export * from './operations-schema';
export * from './presets';
export * from './replica';
export * from './schema';
export * from './validate';

/** Folder of the committed environments: `<env>.ts` (exporting `const <env>`), `<env>.genesys-cidrs.json`, and `base.ts`. */
export const ENVIRONMENTS_DIR = path.join(__dirname, 'environments');

/** Objects merge field by field; arrays, values and `undefined`-free leaves of the override replace. */
export function mergeOverrides<T>(baseValue: T, override: unknown): T {
  if (override === undefined) return baseValue;
  if (isPlainObject(baseValue) && isPlainObject(override)) {
    const merged: Record<string, unknown> = { ...baseValue };
    for (const [key, value] of Object.entries(override)) merged[key] = mergeOverrides(merged[key], value);
    return merged as T;
  }
  return override as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `layer` sets a value at the field path (or at a leaf above it). */
function sets(layer: unknown, field: string): boolean {
  let v = layer;
  for (const key of field.split(/\.|\[(\d+)\]/).filter(Boolean)) {
    if (!isPlainObject(v)) return v !== undefined;
    v = v[key];
  }
  return v !== undefined;
}

/** Every committed environment's overrides, by name: each `<env>.ts` of the folder but `base.ts`, the `sample` default first. */
function discoverOverrides(dir: string): Record<string, EnvironmentOverrides> {
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'base.ts')
    .map((f) => f.slice(0, -3))
    .sort((a, b) => (a === 'sample' ? -1 : b === 'sample' ? 1 : a.localeCompare(b)));
  const found: Record<string, EnvironmentOverrides> = {};
  for (const name of names) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
      throw new Error(
        `lib/config/environments/${name}.ts is not a valid environment name; use letters and digits only (it becomes part of stack names).`,
      );
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = (require(path.join(dir, `${name}.ts`)) as Record<string, unknown>)[name];
    if (!isPlainObject(exported)) {
      throw new Error(
        `lib/config/environments/${name}.ts must export its overrides as \`export const ${name}: EnvironmentOverrides = { ... }\`.`,
      );
    }
    found[name] = exported;
  }
  return found;
}

const OVERRIDES = discoverOverrides(ENVIRONMENTS_DIR);

/** Every committed environment (the shared base merged with its file), selected with `-c env=NAME`. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfigInput>> = Object.fromEntries(
  Object.entries(OVERRIDES).map(([name, override]) => [name, mergeOverrides(base, override) as EnvironmentConfigInput]),
);

/** The file that holds a field of an environment: its own file when it sets it, base.ts when only the base does. */
export function environmentFieldFile(envName: string, field: string): string {
  const own = environmentFile(envName, field);
  if (own.endsWith('.json') || sets(OVERRIDES[envName], field) || !sets(base, field)) return own;
  return 'lib/config/environments/base.ts';
}

/** Validates the named environment; unknown names list the committed ones. */
export function loadConfig(envName: string): ArchiveConfig {
  const input = Object.hasOwn(ENVIRONMENTS, envName) ? ENVIRONMENTS[envName] : undefined;
  if (!input) {
    throw new Error(
      `Environment "${envName}" is not committed; pass -c env=NAME with one of: ${Object.keys(ENVIRONMENTS).join(', ')} (or add lib/config/environments/${envName}.ts).`,
    );
  }
  return resolveConfig(envName, input, { fileOf: (field) => environmentFieldFile(envName, field) });
}
