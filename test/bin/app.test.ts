import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkContext, ENVIRONMENT_NAMES } from '../support/app';

const ROOT = path.join(__dirname, '..', '..');

/** Runs bin/app.ts the way the cdk CLI does (context in CDK_CONTEXT_JSON, output in CDK_OUTDIR). */
function runApp(envName: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin', 'app.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkContext(), env: envName }),
      CDK_OUTDIR: outdir,
    },
  });
  const files = fs.existsSync(outdir) ? fs.readdirSync(outdir) : [];
  fs.rmSync(outdir, { recursive: true, force: true });
  return { status: run.status, stderr: run.stderr, files };
}

describe.each(ENVIRONMENT_NAMES)('bin/app.ts -c env=%s', (envName) => {
  test('synthesizes all three stacks, nag packs passing, without AWS credentials', () => {
    const { status, stderr, files } = runApp(envName);
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(files).toEqual(
      expect.arrayContaining(['Archive', 'Genesys', 'Connect'].map((stack) => `RecordingArchive-${envName}-${stack}.template.json`)),
    );
  });
});

test('an unknown environment exits 1 with one sentence naming the committed ones', () => {
  const { status, stderr } = runApp('staging');
  expect(status).toBe(1);
  expect(stderr.trim()).toBe(
    'Environment "staging" is not committed; pass -c env=NAME with one of: sample, prod (or add lib/config/environments/staging.ts).',
  );
});
