import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environmentFieldFile, ENVIRONMENTS } from '../../lib/config';
import { cdkContext, ENVIRONMENT_NAMES } from '../support/app';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Runs bin/app.ts the way the cdk CLI does (context in CDK_CONTEXT_JSON, output in CDK_OUTDIR);
 * `preload` is a CommonJS file run first (to break a committed environment in that process only).
 */
function runApp(envName: string, preload?: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const run = spawnSync(
    process.execPath,
    [...(preload ? ['--require', preload] : []), '--import', 'tsx', path.join(ROOT, 'bin', 'app.ts')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkContext(), env: envName }),
        CDK_OUTDIR: outdir,
      },
    },
  );
  const files = fs.existsSync(outdir) ? fs.readdirSync(outdir) : [];
  fs.rmSync(outdir, { recursive: true, force: true });
  return { status: run.status, stderr: run.stderr, files };
}

describe.each(ENVIRONMENT_NAMES)('bin/app.ts -c env=%s', (envName) => {
  test('synthesizes its stacks (Archive, and Genesys and Connect when configured), nag packs passing, without AWS credentials', () => {
    const { status, stderr, files } = runApp(envName);
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const input = ENVIRONMENTS[envName];
    const stacks = ['Archive', ...(input.genesysIntegration ? ['Genesys'] : []), ...(input.connect ? ['Connect'] : [])];
    expect(files).toEqual(
      expect.arrayContaining(stacks.map((stack) => `RecordingArchive-${envName}-${stack}.template.json`)),
    );
  });
});

test('an unknown environment exits 1 with one sentence naming the committed ones', () => {
  const { status, stderr } = runApp('staging');
  expect(status).toBe(1);
  expect(stderr.trim()).toBe(
    `Environment "staging" is not committed; pass -c env=NAME with one of: ${ENVIRONMENT_NAMES.join(', ')} (or add lib/config/environments/staging.ts).`,
  );
});

describe('a broken environment', () => {
  const envName = ENVIRONMENT_NAMES[0];
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-broken-env-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A preload that applies `change` (JavaScript source over `c`, the environment) before bin/app.ts reads it. */
  function breaking(change: string): string {
    const file = path.join(dir, `break-${fs.readdirSync(dir).length}.cjs`);
    fs.writeFileSync(
      file,
      [
        `require(${JSON.stringify(require.resolve('tsx/cjs'))});`,
        `const c = require(${JSON.stringify(path.join(ROOT, 'lib', 'config'))}).ENVIRONMENTS[${JSON.stringify(envName)}];`,
        change,
      ].join('\n'),
    );
    return file;
  }

  test('exits 1 and lists every problem, each with its field and file, and no stack trace', () => {
    const { status, stderr, files } = runApp(
      envName,
      breaking(
        `c.region = 'eu-wset-1'; c.notifications = { email: [] }; c.lifecycle = { glacierDays: 40 }; c.genesys = { ...c.genesys, allowedCidrs: { ...c.genesys.allowedCidrs, cidrs: ['203.0.113.0/33'] } };`,
      ),
    );
    const E = `Environment "${envName}"`;
    expect({ status, files }).toEqual({ status: 1, files: [] });
    expect(stderr).toBe(
      [
        `The configuration of environment "${envName}" has 4 errors; fix them and synthesize again:`,
        `  1. ${E}, field "region": 'eu-wset-1' is not an AWS region; did you mean 'eu-west-1'? Fix it in ${environmentFieldFile(envName, 'region')}.`,
        `  2. ${E}, field "genesys.allowedCidrs.cidrs[0]": '203.0.113.0/33' must be a CIDR block such as 203.0.113.0/24; fix it in lib/config/environments/${envName}.genesys-cidrs.json.`,
        `  3. ${E}, field "notifications.email": unknown field \`email\`; did you mean \`emails\`? Rename it in ${environmentFieldFile(envName, 'notifications.email')}.`,
        `  4. ${E}, field "lifecycle.glacierDays": 40 days is refused because S3 needs 30 days in STANDARD_IA before GLACIER (L3); set it to at least 60. (in ${environmentFieldFile(envName, 'lifecycle.glacierDays')})`,
        '',
      ].join('\n'),
    );
  });

  test('a bad schedule is named by its config field, before CloudFormation sees it', () => {
    const { status, stderr } = runApp(
      envName,
      breaking(
        `c.genesysIntegration = { ...c.genesysIntegration, oauthSecretName: 'x', integrityCheck: { schedule: 'cron(0 3 * * SUN)' } };`,
      ),
    );
    expect(status).toBe(1);
    expect(stderr).toBe(
      [
        `The configuration of environment "${envName}" has 1 error; fix it and synthesize again:`,
        `  1. Environment "${envName}", field "genesysIntegration.integrityCheck.schedule": 'cron(0 3 * * SUN)' has 5 fields inside cron(); EventBridge needs 6 separated by single spaces (minutes hours day-of-month month day-of-week year), e.g. 'cron(0 3 ? * SUN *)'; fix it in ${environmentFieldFile(envName, 'genesysIntegration.integrityCheck.schedule')}.`,
        '',
      ].join('\n'),
    );
  });
});
