import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mergeOverrides } from '../../lib/config';
import { evaluateEnvironment } from '../access/access-matrix';
import { synthesizeEnvironment } from '../access/environment-templates';
import { buildEnvironment, ENVIRONMENT_NAMES } from '../support/app';
import { nagFindings } from '../support/nag';

type ConfigModule = typeof import('../../lib/config');

const ROOT = path.join(__dirname, '..', '..');

/**
 * Adding an environment is adding its file (and its CIDR list) to lib/config/environments: this
 * copies the config folder, adds a client environment there and nothing else, and runs the
 * per-environment checks (synth, cdk-nag, access matrix) on it.
 */
describe('an environment added as one file', () => {
  let dir: string;
  let copied: ConfigModule;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'add-environment-'));
    fs.cpSync(path.join(ROOT, 'lib', 'config'), path.join(dir, 'lib', 'config'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const environments = path.join(dir, 'lib', 'config', 'environments');
    // The sample's placeholder ranges, marked as an example list (documentation ranges only) as a
    // client's list is until `npm run genesys:ip-ranges -- --env clientb` fetches the real one.
    const placeholder = JSON.parse(
      fs.readFileSync(path.join(environments, 'sample.genesys-cidrs.json'), 'utf8'),
    ) as object;
    fs.writeFileSync(
      path.join(environments, 'clientb.genesys-cidrs.json'),
      JSON.stringify({ ...placeholder, example: true }),
    );
    fs.writeFileSync(
      path.join(environments, 'clientb.ts'),
      `import type { EnvironmentOverrides } from '../schema';
import cidrs from './clientb.genesys-cidrs.json';

/** A BPO client in Ireland: HIPAA window, Genesys only. */
export const clientb: EnvironmentOverrides = {
  account: '333333333333',
  region: 'eu-west-1',
  compliance: { preset: 'hipaa' },
  objectLock: { defaultRetentionDays: 90 },
  genesys: {
    organizationId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
    region: 'eu-west-1',
    platformRetentionDays: 365,
    allowedCidrs: { ...cidrs, region: 'eu-west-1' },
  },
  retention: { classes: { standard: 2190 }, defaultClass: 'standard' },
  genesysIntegration: { oauthSecretName: 'recording-archive/clientb/genesys-oauth' },
};
`,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copied = require(path.join(dir, 'lib', 'config')) as ConfigModule;
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is discovered next to the committed ones, merged with the shared base', () => {
    expect(Object.keys(copied.ENVIRONMENTS).sort()).toEqual([...ENVIRONMENT_NAMES, 'clientb'].sort());
    const config = copied.loadConfig('clientb');
    expect(config.breakGlassRoleNames).toEqual(copied.ENVIRONMENTS['sample'].breakGlassRoleNames);
    expect([config.region, config.compliance.retentionDays, config.connect]).toEqual(['eu-west-1', 2190, undefined]);
  });

  test('its mistakes name its own file, or base.ts for what only the base sets', () => {
    expect(copied.environmentFieldFile('clientb', 'account')).toBe('lib/config/environments/clientb.ts');
    expect(copied.environmentFieldFile('clientb', 'recordingsPrefix')).toBe('lib/config/environments/base.ts');
    expect(copied.environmentFieldFile('clientb', 'genesys.allowedCidrs.cidrs[0]')).toBe(
      'lib/config/environments/clientb.genesys-cidrs.json',
    );
  });

  test('synthesizes with no unacknowledged cdk-nag finding', () => {
    const { app, stacks } = buildEnvironment('clientb', {}, copied.loadConfig('clientb'));
    expect([stacks.archive.stackName, stacks.genesys?.stackName, stacks.connect]).toEqual([
      'RecordingArchive-clientb-Archive',
      'RecordingArchive-clientb-Genesys',
      undefined,
    ]);
    expect(nagFindings(app)).toEqual([]);
  });

  test('every access scenario decides as expected', async () => {
    const result = await evaluateEnvironment(synthesizeEnvironment('clientb', copied.loadConfig('clientb')));
    expect(result.outcomes.size).toBeGreaterThanOrEqual(25);
    expect(result.mismatches.map((m) => m.scenario.id)).toEqual([]);
  }, 300_000);
});

describe('mergeOverrides', () => {
  test('objects merge field by field; arrays and values replace; undefined keeps the base', () => {
    expect(mergeOverrides({ a: { b: 1, c: [1, 2] }, d: 'x', e: 1 }, { a: { c: [3] }, d: 'y', e: undefined })).toEqual({
      a: { b: 1, c: [3] },
      d: 'y',
      e: 1,
    });
  });
});
