import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GenesysCidrListSchema } from '../../lib/config';
import { refreshCidrList } from '../../scripts/genesys-ip-ranges';
import { FakeGenesys } from '../support/fake-genesys';

const ROOT = path.join(__dirname, '..', '..');
let fake: FakeGenesys;
let directory: string;
beforeAll(async () => {
  fake = await FakeGenesys.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'genesys-cidrs-'));
  fs.copyFileSync(
    path.join(ROOT, 'lib/config/environments/sample.genesys-cidrs.json'),
    path.join(directory, 'sample.genesys-cidrs.json'),
  );
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

test('rewrites the committed list with the configured services of the live feed, sorted, and reports the change', async () => {
  fake.state.ipRanges = [
    { cidr: '52.0.0.0/16', service: 'data-actions', region: 'us-east-1' },
    { cidr: '192.0.2.0/24', service: 'data-actions', region: 'us-east-1' },
    { cidr: '34.0.0.0/16', service: 'smtp', region: 'us-east-1' },
  ];
  const result = await refreshCidrList({
    envName: 'sample',
    baseUrl: fake.baseUrl,
    directory,
    now: new Date('2026-11-23T12:00:00Z'),
  });

  expect(result).toEqual({
    file: path.join(directory, 'sample.genesys-cidrs.json'),
    added: ['52.0.0.0/16'],
    removed: ['198.51.100.0/24'],
  });
  const written = fs.readFileSync(result.file, 'utf8');
  expect(JSON.parse(written)).toEqual({
    source: `GET ${fake.baseUrl}/api/v2/ipranges, services data-actions`,
    services: ['data-actions'],
    region: 'us-east-1',
    fetchedAt: '2026-11-23T12:00:00.000Z',
    cidrs: ['192.0.2.0/24', '52.0.0.0/16'],
  });
  expect(GenesysCidrListSchema.safeParse(JSON.parse(written)).success).toBe(true);
  expect(written.endsWith('}\n')).toBe(true);
  expect(fake.received('POST', '/oauth/token')).toEqual([]);
});

test('refuses to write an empty list', async () => {
  fake.state.ipRanges = [{ cidr: '34.0.0.0/16', service: 'smtp', region: 'us-east-1' }];
  const before = fs.readFileSync(path.join(directory, 'sample.genesys-cidrs.json'), 'utf8');
  await expect(refreshCidrList({ envName: 'sample', baseUrl: fake.baseUrl, directory })).rejects.toThrow(
    `Genesys lists no CIDR for the services data-actions at ${fake.baseUrl}/api/v2/ipranges; check "services" in sample.genesys-cidrs.json.`,
  );
  expect(fs.readFileSync(path.join(directory, 'sample.genesys-cidrs.json'), 'utf8')).toBe(before);
});

test('the command line asks for --env', () => {
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/genesys-ip-ranges.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(
    'error: --env is required.\nusage: npm run genesys:ip-ranges -- --env NAME [--base-url URL]\n(run with --help for every option)\n',
  );
});
