import { createHash } from 'crypto';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { synthCacheDir } from '../cache-dir';
import { ownSourcesOnly, RawSourceMap } from './own-source-map';

/** The repository root: bundles name their sources relative to it, so hashes match on every machine. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** Where function entries live: `lambda/<function>/<entry>.ts`. */
export const LAMBDA_ROOT = path.join(PROJECT_ROOT, 'lambda');

/**
 * The esbuild options of every function bundle: one CommonJS file for Node.js 22, minified and
 * tree-shaken. ESM builds of packages are preferred (`module` before `main`) because only they can
 * be tree-shaken; the AWS SDK ships both. The source map is a separate `index.js.map` beside the
 * bundle (found through the `sourceMappingURL` comment under `--enable-source-maps`); it maps
 * stack traces to `lambda/...` lines but carries no source text and no mappings into packages
 * ({@link ownSourcesOnly}), so it stays small.
 * The AWS SDK is bundled, not taken from the runtime: functions run the SDK version the tests ran,
 * with one substitution: the default credential chain is the environment's credentials only
 * (`lambda/shared/lambda-credentials.ts`), which is where Lambda puts them.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'silent',
  // Lambda passes credentials in the environment: the SDK's default chain shrinks to fromEnv.
  alias: { '@aws-sdk/credential-provider-node': './lambda/shared/lambda-credentials.ts' },
} as const satisfies esbuild.BuildOptions;

/** The files of one function's bundle, by name (`index.js`, `index.js.map`). */
export type BundleFiles = ReadonlyMap<string, Uint8Array>;

/** One entry's bundle and what went into it. */
export interface CachedBundle {
  readonly files: BundleFiles;
  /** The esbuild metafile entry of `index.js` (bytes per input, for the bundle benchmark). */
  readonly metafile?: esbuild.Metafile['outputs'][string];
  /** Every input file with the size and mtime it had when bundled, to notice an edit. */
  readonly inputs: ReadonlyArray<readonly [file: string, size: number, mtimeMs: number]>;
}

const ENTRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const EXPORTS_HANDLER =
  /export\s+(?:async\s+)?(?:function\s*\*?|const|let|var)\s*handler\b|export\s*\{[^}]*\bhandler\b/;
// One process bundles each entry once: tests synthesize dozens of apps, `cdk synth` several stacks.
const cache = new Map<string, CachedBundle>();

// Bundles kept between processes: the next `cdk synth` (or test file) reuses a bundle whose every
// input file still has the content it was bundled from.
let diskCacheDir: string | undefined = synthCacheDir('bundles');

/** Points the bundle cache between processes at another folder, or turns it off (undefined). */
export function setBundleDiskCache(dir: string | undefined): void {
  diskCacheDir = dir;
}

/**
 * The bundle of one function entry. The first call bundles, in one esbuild build, every entry it
 * finds under `lambda/` (a `.ts` file directly in `lambda/<function>/` that exports `handler`) along
 * with the one asked for; later calls reuse those bundles while their input files are unchanged.
 * A new function joins by being an `ArchiveFunction` entry: nothing else registers it.
 */
export function functionBundle(entry: string): BundleFiles {
  const file = path.resolve(entry);
  validateEntry(file);
  const cached = cache.get(file);
  if (cached && isFresh(cached)) return cached.files;
  if (loadFromDisk(file)) return cache.get(file)!.files;
  const others = discoverEntries().filter((e) => e !== file && !isFreshEntry(e) && !loadFromDisk(e));
  try {
    build([file, ...others]);
  } catch {
    // A broken file elsewhere under lambda/ must not fail this function: bundle it alone, and
    // let its own build report its own error.
    build([file]);
  }
  return cache.get(file)!.files;
}

const outputHashes = new WeakMap<BundleFiles, string>();

/** The SHA-256 of the entry's bundle (each file's name and bytes): the function asset's hash. */
export function bundleHash(entry: string): string {
  const files = functionBundle(entry);
  let hash = outputHashes.get(files);
  if (hash === undefined) {
    const h = createHash('sha256');
    for (const name of [...files.keys()].sort())
      h.update(`${name}\0${files.get(name)!.length}\0`).update(files.get(name)!);
    hash = h.digest('hex');
    outputHashes.set(files, hash);
  }
  return hash;
}

/** Entry files under `lambda/` that export a `handler`, sorted. */
export function discoverEntries(root: string = LAMBDA_ROOT): string[] {
  if (!fs.existsSync(root)) return [];
  const entries: string[] = [];
  for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const dirPath = path.join(root, dir.name);
    for (const f of fs.readdirSync(dirPath, { withFileTypes: true })) {
      if (!f.isFile() || !f.name.endsWith('.ts') || f.name.endsWith('.d.ts') || f.name.endsWith('.test.ts')) continue;
      const file = path.join(dirPath, f.name);
      if (EXPORTS_HANDLER.test(fs.readFileSync(file, 'utf8'))) entries.push(file);
    }
  }
  return entries.sort();
}

/** Forgets every bundle (for tests of the cache). */
export function clearBundleCache(): void {
  cache.clear();
}

/** Refuses an entry that is not an existing JavaScript or TypeScript file. */
export function validateEntry(file: string): void {
  if (!ENTRY_EXTENSIONS.includes(path.extname(file))) {
    throw new Error(`ArchiveFunction entry ${file} must be a ${ENTRY_EXTENSIONS.join(', ')} file.`);
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new Error(
      `ArchiveFunction entry ${file} does not exist; pass path.join(__dirname, ...) to the handler file.`,
    );
  }
}

function isFreshEntry(file: string): boolean {
  const cached = cache.get(file);
  return cached !== undefined && isFresh(cached);
}

function isFresh(bundle: CachedBundle): boolean {
  return bundle.inputs.every(([file, size, mtimeMs]) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat !== undefined && stat.size === size && stat.mtimeMs === mtimeMs;
  });
}

/** How many esbuild builds this process has run (the cache test counts them). */
export function bundleBuilds(): number {
  return builds;
}

let builds = 0;

function build(entries: readonly string[]): void {
  for (const [entry, bundle] of bundleEntries(entries)) {
    cache.set(entry, bundle);
    saveToDisk(entry, bundle);
  }
}

/** One stored bundle: its files beside a manifest of the inputs it was built from. */
interface StoredManifest {
  /** Each input as bundled; its mtime lets an untouched file skip hashing (as git's index does). */
  readonly inputs: ReadonlyArray<readonly [relativeFile: string, size: number, sha256: string, mtimeMs?: number]>;
  readonly files: readonly string[];
}

/** The stored manifest's format: a new one leaves the older entries unused (they are rebuilt once). */
const MANIFEST_FORMAT = 2;

let environmentKey: string | undefined;
/** What besides the inputs decides a bundle's bytes: esbuild, its options, the locked packages. */
function bundleEnvironmentKey(): string {
  if (environmentKey === undefined) {
    const lock = path.join(PROJECT_ROOT, 'package-lock.json');
    environmentKey = createHash('sha256')
      .update(JSON.stringify([MANIFEST_FORMAT, esbuild.version, BUNDLE_OPTIONS]))
      .update(fs.existsSync(lock) ? fs.readFileSync(lock) : '')
      .digest('hex');
  }
  return environmentKey;
}

function storedDir(entry: string): string | undefined {
  if (diskCacheDir === undefined) return undefined;
  const name = createHash('sha256')
    .update(bundleEnvironmentKey())
    .update(path.relative(PROJECT_ROOT, entry))
    .digest('hex');
  return path.join(diskCacheDir, name.slice(0, 32));
}

// The functions share most inputs (the SDK, zod, lambda/shared): each file is read and hashed
// once per process, again only when its size or mtime changes.
const hashes = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly hash: string }>();
function sha256(file: string): string {
  const stat = fs.statSync(file);
  const known = hashes.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.hash;
  const hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  hashes.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, hash });
  return hash;
}

/** Takes the entry's bundle from the disk cache when every input still has its content. */
function loadFromDisk(entry: string): boolean {
  const dir = storedDir(entry);
  if (dir === undefined) return false;
  let manifest: StoredManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as StoredManifest;
  } catch {
    return false;
  }
  const inputs: Array<readonly [string, number, number]> = [];
  for (const [relative, size, hash, mtimeMs] of manifest.inputs) {
    const file = path.resolve(PROJECT_ROOT, relative);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined || stat.size !== size) return false;
    // Same size and mtime: the file is the one bundled (an edit, a checkout or an npm install
    // sets a new mtime; packages are also covered by the lock file in the key). Otherwise its
    // content decides: a touched but unchanged file still reuses the bundle.
    if (stat.mtimeMs !== mtimeMs && sha256(file) !== hash) return false;
    inputs.push([file, stat.size, stat.mtimeMs]);
  }
  try {
    const files = new Map(manifest.files.map((name) => [name, fs.readFileSync(path.join(dir, name))]));
    cache.set(entry, { files, inputs });
    return true;
  } catch {
    return false;
  }
}

function saveToDisk(entry: string, bundle: CachedBundle): void {
  const dir = storedDir(entry);
  if (dir === undefined) return;
  // Written beside, then renamed into place: a reader sees a whole bundle or none.
  const partial = `${dir}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    const manifest: StoredManifest = {
      inputs: bundle.inputs.map(
        ([file, size, mtimeMs]) => [path.relative(PROJECT_ROOT, file), size, sha256(file), mtimeMs] as const,
      ),
      files: [...bundle.files.keys()],
    };
    fs.mkdirSync(partial, { recursive: true });
    for (const [name, contents] of bundle.files) fs.writeFileSync(path.join(partial, name), contents);
    fs.writeFileSync(path.join(partial, 'manifest.json'), JSON.stringify(manifest));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
  } catch {
    // A cache that cannot be written (another process just wrote it) only costs a later synth its time.
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * Bundles the entries in one esbuild build, each into its own `index.js` and `index.js.map`
 * (no code splitting: a bundle does not depend on the other entries of its build).
 */
export function bundleEntries(
  entries: readonly string[],
  options: esbuild.BuildOptions = BUNDLE_OPTIONS,
): Map<string, CachedBundle> {
  // Output names are virtual (write: false) and fixed relative to the repository, so source maps
  // name `../../lambda/...` wherever the checkout or the cloud assembly is.
  const outdir = path.join(PROJECT_ROOT, '.bundles');
  const keys = new Map(entries.map((entry, i) => [`f${i}/index`, entry]));
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  builds += 1;
  try {
    result = esbuild.buildSync({
      ...options,
      entryPoints: Object.fromEntries(keys),
      outdir,
      absWorkingDir: PROJECT_ROOT,
      write: false,
      metafile: true,
    });
  } catch (e) {
    throw new Error(describeBuildFailure(entries, e), { cause: e });
  }
  const bundles = new Map<string, CachedBundle>();
  for (const [key, entry] of keys) {
    const files = new Map<string, Uint8Array>();
    for (const out of result.outputFiles) {
      const rel = path.relative(outdir, out.path);
      if (rel === `${key}.js`) files.set('index.js', out.contents);
      if (rel === `${key}.js.map`) files.set('index.js.map', ownMap(out.text));
    }
    const meta = result.metafile.outputs[path.relative(PROJECT_ROOT, path.join(outdir, `${key}.js`))];
    const inputs = Object.keys(meta?.inputs ?? {})
      .filter((input) => !input.includes(':'))
      .map((input) => {
        const abs = path.resolve(PROJECT_ROOT, input);
        const stat = fs.statSync(abs);
        return [abs, stat.size, stat.mtimeMs] as const;
      });
    bundles.set(entry, { files, inputs, metafile: meta });
  }
  return bundles;
}

/** The map of our own sources only (see {@link ownSourcesOnly}): packages stay unmapped. */
function ownMap(text: string): Uint8Array {
  const map = JSON.parse(text) as RawSourceMap;
  return Buffer.from(JSON.stringify(ownSourcesOnly(map, (source) => !source.includes('node_modules/'))));
}

function describeBuildFailure(entries: readonly string[], e: unknown): string {
  const errors = (e as { errors?: esbuild.Message[] }).errors ?? [];
  const first = errors[0];
  const where = first?.location ? ` (${first.location.file}:${first.location.line}:${first.location.column})` : '';
  const what = first ? `${first.text}${where}` : e instanceof Error ? e.message : String(e);
  const names = entries.map((entry) => path.relative(PROJECT_ROOT, entry)).join(', ');
  return `Could not bundle ${names}: ${what}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}.`;
}
