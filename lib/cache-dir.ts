import * as path from 'path';

/** Where synth keeps work between runs unless `RECORDING_ARCHIVE_CACHE` names another folder. */
export const DEFAULT_CACHE_ROOT = path.resolve(__dirname, '..', 'node_modules', '.cache', 'recording-archive');

/**
 * The folder of one kind of synth cache (`bundles`, `cfn-validate`): under `RECORDING_ARCHIVE_CACHE`
 * when set, `undefined` (no cache) when it is `off`. Nothing in it changes a template: each entry
 * is keyed by everything its result depends on. `rm -rf node_modules/.cache/recording-archive`
 * empties it.
 */
export function synthCacheDir(kind: string, env: Readonly<Record<string, string | undefined>> = process.env) {
  const root = env.RECORDING_ARCHIVE_CACHE;
  if (root === 'off') return undefined;
  return path.join(root ? path.resolve(root) : DEFAULT_CACHE_ROOT, kind);
}
