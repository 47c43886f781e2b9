import * as fs from 'fs';
import { RUN_DIR_VARIABLE, stopSharedRgw } from './rgw';
import { endRunTemp, RUN_TEMP_VARIABLE } from './temp-check';

/** Runs once after every jest run: stops the shared servers, removes the run's folder, then fails the run if tests left files. */
export default async function globalTeardown(): Promise<void> {
  const runDir = process.env[RUN_DIR_VARIABLE];
  if (runDir) {
    await stopSharedRgw(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const runTemp = process.env[RUN_TEMP_VARIABLE];
  if (runTemp) endRunTemp(runTemp);
}
