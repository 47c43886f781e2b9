import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { endFileTemp, endRunTemp, leftovers, RUN_TEMP_VARIABLE } from './temp-check';

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-check-'));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('this test file runs with a temporary folder of its own inside the run’s', () => {
  const runTemp = process.env[RUN_TEMP_VARIABLE];
  expect(runTemp).toBeDefined();
  expect(path.dirname(os.tmpdir())).toBe(runTemp);
  expect(path.basename(os.tmpdir())).toMatch(/^temp-check\.test\.ts-/);
});

test('the end-of-run check fails, naming them, when a test left files or folders, and still removes them', () => {
  const run = path.join(scratch, 'run');
  fs.mkdirSync(path.join(run, 'leaky.test.ts-abc123', 's3rver-data'), { recursive: true });
  fs.writeFileSync(path.join(run, 'stray.json'), '{}');
  fs.mkdirSync(path.join(run, 'clean.test.ts-def456'));
  fs.mkdirSync(path.join(run, 'forgotten-ghi789'));
  expect(leftovers(run)).toEqual(['forgotten-ghi789/', 'leaky.test.ts-abc123/s3rver-data', 'stray.json']);
  expect(() => endRunTemp(run)).toThrow(
    'Tests left 3 entries in the temporary directory (remove them in afterAll): forgotten-ghi789/, leaky.test.ts-abc123/s3rver-data, stray.json',
  );
  expect(fs.existsSync(run)).toBe(false);
});

test('the end-of-run check passes over the tsx and Node compile caches a spawned tool leaves in the run folder itself, and still fails on a real leftover', () => {
  const run = path.join(scratch, 'run');
  fs.mkdirSync(path.join(run, 'tsx-0', 'cache'), { recursive: true });
  fs.mkdirSync(path.join(run, 'node-compile-cache', 'v22.23.5-x64-1a2b3c4d-0'), { recursive: true });
  expect(() => endRunTemp(run)).not.toThrow();
  fs.mkdirSync(path.join(run, 'tsx-0'), { recursive: true });
  fs.writeFileSync(path.join(run, 'stray.json'), '{}');
  expect(() => endRunTemp(run)).toThrow(
    'Tests left 1 entry in the temporary directory (remove them in afterAll): stray.json',
  );
});

test('the end-of-run check passes when only empty test-file folders remain, and removes them', () => {
  const run = path.join(scratch, 'run');
  fs.mkdirSync(path.join(run, 'tidy.test.ts-Ab12Cd'), { recursive: true });
  expect(() => endRunTemp(run)).not.toThrow();
  expect(fs.existsSync(run)).toBe(false);
});

test('after a test file, CDK’s default App folders and tsx’s cache go; what the test made stays for the check', () => {
  const file = path.join(scratch, 'some.test.ts-xyz');
  fs.mkdirSync(path.join(file, 'cdk.outAbC123', 'asset.1'), { recursive: true });
  fs.mkdirSync(path.join(file, 'tsx-0'));
  fs.mkdirSync(path.join(file, 'fake-genesys-'));
  endFileTemp(file);
  expect(fs.readdirSync(file)).toEqual(['fake-genesys-']);
  fs.rmdirSync(path.join(file, 'fake-genesys-'));
  endFileTemp(file);
  expect(fs.existsSync(file)).toBe(false);
});
