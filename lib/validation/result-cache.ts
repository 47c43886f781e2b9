import * as fs from 'fs';
import * as path from 'path';

/** The `version` of a package.json: part of a cache key wherever a library decides a result. */
export const packageVersion = (packageJson: string): string =>
  (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;

/**
 * The validation results kept between synths: one JSON file per key in `dir`. `dir` undefined
 * (`RECORDING_ARCHIVE_CACHE=off`) keeps nothing; a missing or unreadable entry is a miss.
 */
export function readResult<T>(dir: string | undefined, key: string): T | undefined {
  if (dir === undefined) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, `${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes beside, then renames into place: a reader sees a whole entry or none. */
export function writeResult(dir: string | undefined, key: string, result: unknown): void {
  if (dir === undefined) return;
  const file = path.join(dir, `${key}.json`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(result));
    fs.renameSync(`${file}.${process.pid}`, file);
  } catch {
    // A cache that cannot be written only costs the next synth its time.
    fs.rmSync(`${file}.${process.pid}`, { force: true });
  }
}
