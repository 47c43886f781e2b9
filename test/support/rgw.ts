import { S3Client } from '@aws-sdk/client-s3';
import * as fs from 'fs';
import * as path from 'path';
import { RgwServer, startRgw, stopRgw } from './rgw-server';

/** A gateway shared by every test file of one jest run, and a client factory for it. */
export interface Rgw extends RgwServer {
  /** A path-style S3 client for the main test user (or `other` for the second user). */
  s3(user?: 'tester' | 'other'): S3Client;
}

/** Environment variable the global setup sets: the run's own temporary folder. */
export const RUN_DIR_VARIABLE = 'RECORDING_ARCHIVE_TEST_RUN_DIR';

function gatewayDir(): string {
  const runDir = process.env[RUN_DIR_VARIABLE];
  if (!runDir) {
    throw new Error(
      `${RUN_DIR_VARIABLE} is unset: run the tests through jest (jest.config.js sets the global setup that provides it).`,
    );
  }
  return path.join(runDir, 'rgw');
}

let shared: Promise<RgwServer> | undefined;

/**
 * The run's gateway. The first test file (in any jest worker) that asks starts it, the others
 * wait for it; the run's global teardown stops it ({@link stopSharedRgw}). One gateway per run,
 * never one per test: it takes about 12 s to start.
 */
export async function useRgw(): Promise<Rgw> {
  shared ??= acquire();
  const server = await shared;
  return {
    ...server,
    s3: (user = 'tester') =>
      new S3Client({
        endpoint: server.endpoint,
        region: server.region,
        forcePathStyle: true,
        credentials: user === 'tester' ? server.credentials : server.otherCredentials,
        maxAttempts: 2,
      }),
  };
}

async function acquire(): Promise<RgwServer> {
  const dir = gatewayDir();
  const ready = path.join(dir, 'ready.json');
  const failed = path.join(dir, 'failed.txt');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  let starter = false;
  try {
    fs.mkdirSync(dir);
    starter = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (starter) {
    try {
      const server = await startRgw(path.join(dir, 'state'));
      fs.writeFileSync(ready, JSON.stringify(server));
      return server;
    } catch (error) {
      fs.writeFileSync(failed, (error as Error).message);
      throw error;
    }
  }
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (fs.existsSync(ready)) return JSON.parse(fs.readFileSync(ready, 'utf8')) as RgwServer;
    if (fs.existsSync(failed)) throw new Error(fs.readFileSync(failed, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('The shared RADOS Gateway did not become ready within 180 s.');
}

/** Stops the run's gateway if a test started one (called by the global teardown). */
export async function stopSharedRgw(runDir: string): Promise<void> {
  const dir = path.join(runDir, 'rgw');
  if (fs.existsSync(dir)) await stopRgw(path.join(dir, 'state'));
}
