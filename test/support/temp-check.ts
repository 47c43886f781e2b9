import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Tests leave nothing behind. A jest run gets a temporary folder of its own (TMPDIR points into
 * it for every worker and every process a test starts) and each test file a folder inside that
 * one, named after the file (its `os.tmpdir()`). After a test file, the folders CDK creates for an App without an
 * `outdir` (`cdk.out*`) and tool caches are removed; anything else the file left stays, and the
 * run's global teardown fails the run listing it.
 */
export const RUN_TEMP_VARIABLE = 'RECORDING_ARCHIVE_RUN_TEMP';

/**
 * Folders a tool, not a test, creates in TMPDIR: CDK's default App outdir, tsx's compile cache,
 * and on Node 22+ Node's own compile cache (`module.enableCompileCache()` in tsc, eslint and
 * prettier, which some tests run).
 */
const TOOL_LITTER = [/^cdk\.out/, /^tsx-\d+$/, /^node-compile-cache$/];

/** Creates the run's temporary folder and points TMPDIR at it; returns the folder. */
export function startRunTemp(parent: string = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, 'recording-archive-tmp-'));
  process.env[RUN_TEMP_VARIABLE] = dir;
  process.env.TMPDIR = dir;
  return dir;
}

/** Gives one test file its own temporary folder inside the run's; returns it (undefined outside a run). */
export function startFileTemp(testPath: string): string | undefined {
  const runTemp = process.env[RUN_TEMP_VARIABLE];
  if (!runTemp || !fs.existsSync(runTemp)) return undefined;
  return fs.mkdtempSync(path.join(runTemp, `${path.basename(testPath)}-`));
}

/** After a test file: removes what tools left in its folder, then the folder if nothing else is there. */
export function endFileTemp(dir: string): void {
  removeToolLitter(dir);
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

function removeToolLitter(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (TOOL_LITTER.some((pattern) => pattern.test(name)))
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** A test file's folder: `<file>.test.ts-XXXXXX` (mkdtemp's six characters). */
const FILE_FOLDER = /\.test\.[cm]?[jt]s-[A-Za-z0-9]{6}$/;

/**
 * Everything left in the run's folder, relative to it: the contents of each test file's folder
 * (an empty one is not a leftover: a file's own afterAll may clean up after the folder's hook
 * ran), and anything else by name.
 */
export function leftovers(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      if (entry.isDirectory() && FILE_FOLDER.test(entry.name)) {
        return fs.readdirSync(path.join(dir, entry.name)).map((name) => `${entry.name}/${name}`);
      }
      return [entry.isDirectory() ? `${entry.name}/` : entry.name];
    })
    .sort();
}

/**
 * At the end of the run: removes the run's folder and throws, listing them, if tests left
 * anything in it (the run fails with a non-zero exit).
 */
export function endRunTemp(dir: string): void {
  // Child processes (tsx scripts run by the CLI tests) inherit TMPDIR = the run's folder itself.
  if (fs.existsSync(dir)) removeToolLitter(dir);
  const left = leftovers(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `Tests left ${left.length} ${left.length === 1 ? 'entry' : 'entries'} in the temporary directory (remove them in afterAll): ${left.join(', ')}`,
    );
  }
}
