import * as fs from 'fs';
import { RUN_DIR_VARIABLE, stopSharedRgw } from './rgw';

/** Runs once after every jest run: stops the shared servers and removes the run's folder. */
export default async function globalTeardown(): Promise<void> {
  const runDir = process.env[RUN_DIR_VARIABLE];
  if (!runDir) return;
  await stopSharedRgw(runDir);
  fs.rmSync(runDir, { recursive: true, force: true });
}
