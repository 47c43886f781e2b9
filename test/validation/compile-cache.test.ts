import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// bin/app.ts imports lib/compile-cache first: on Node.js 22+ the modules loaded after it are
// compiled once and kept under the synth cache folder; Node.js 20 has no such cache.
const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Where a fresh process that loads lib/compile-cache then aws-cdk-lib keeps compiled code. */
function cacheDirOf(cacheSetting: string): string {
  const script =
    "require('./lib/compile-cache'); const cdk = require('aws-cdk-lib'); new cdk.App(); const m = require('module'); process.stdout.write(String(m.getCompileCacheDir?.() ?? 'none'));";
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, RECORDING_ARCHIVE_CACHE: cacheSetting },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  return run.stdout;
}

const hasCompileCache = Number(process.versions.node.split('.')[0]) >= 22;

(hasCompileCache ? test : test.skip)('on Node.js 22+ compiled modules are kept in the synth cache folder', () => {
  const root = path.join(dir, 'cache');
  const used = cacheDirOf(root);
  // Node keeps one folder per Node.js version and V8 flags inside the folder it is given.
  expect(path.dirname(used)).toBe(path.join(root, 'node-compile'));
  // Node writes the entries when the process exits: aws-cdk-lib's modules are among them.
  expect(fs.readdirSync(used).length).toBeGreaterThan(50);
});

test('RECORDING_ARCHIVE_CACHE=off turns it off; Node.js 20 has none', () => {
  expect(cacheDirOf('off')).toBe('none');
  if (!hasCompileCache) expect(cacheDirOf(path.join(dir, 'old-node'))).toBe('none');
});
