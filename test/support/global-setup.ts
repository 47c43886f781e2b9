import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_DIR_VARIABLE } from './rgw';
import { startRunTemp } from './temp-check';

/** Runs once before every jest run: a temporary folder of the run's own, inherited by every worker. */
export default function globalSetup(): void {
  process.env[RUN_DIR_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-archive-run-'));
  // Last: from here on TMPDIR is the run's checked temporary folder (workers inherit it).
  startRunTemp();
}
