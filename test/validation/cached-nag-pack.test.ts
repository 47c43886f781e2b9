import { App, Stack, Validations } from 'aws-cdk-lib';
import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cachedNagPacks, nagPacks } from '../../lib/nag';
import { CachedNagPack } from '../../lib/validation/cached-nag-pack';

// The cache must give back exactly what the pack itself finds for an app it has seen, and run the
// pack again when a template, a construct path or an acknowledgement changed.
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-cache-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Variant {
  readonly logged?: boolean;
  readonly bucketId?: string;
  readonly acknowledge?: string;
}

/** Synthesizes one stack with one bucket and returns the validation context a plugin is given. */
function contextOf({ logged = false, bucketId = 'Recordings', acknowledge }: Variant = {}): IPolicyValidationContext {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(dir, 'out-')),
    builtinCloudFormationValidation: false,
  });
  const stack = new Stack(app, 'Nagged', { env: { account: '111122223333', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, bucketId, {
    enforceSSL: true,
    ...(logged ? { serverAccessLogsPrefix: 'access/' } : {}),
  });
  if (acknowledge) Validations.of(bucket).acknowledge({ id: acknowledge, reason: 'test' });
  const assembly = app.synth();
  const templatePath = path.join(assembly.directory, 'Nagged.template.json');
  return {
    templatePaths: [templatePath],
    stackTemplates: [{ stackConstructPath: 'Nagged', templatePath, accountId: '111122223333', region: 'eu-west-1' }],
    accountId: '111122223333',
    region: 'eu-west-1',
    appConstruct: app,
  };
}

const summary = (report: PolicyValidationPluginReport) =>
  report.violations
    .map((v) => `${v.severity} ${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(',')}`)
    .sort();

/** A cached AwsSolutions pack over `cacheDir` that counts how often it had to build the pack. */
function cachedPack(cacheDir: string) {
  const create = jest.fn(() => new AwsSolutionsChecks());
  return { plugin: new CachedNagPack('AwsSolutions', create, cacheDir), create };
}

test('a seen app gets the pack’s own findings back without the pack; a changed template runs it again', () => {
  const cacheDir = path.join(dir, 'cache-template');
  const reference = new AwsSolutionsChecks().validate(contextOf());
  // The planted mistake is found: a bucket without access logs.
  expect(summary(reference)).toEqual(['error AwsSolutions-S1 @ Nagged/Recordings/Resource']);

  const first = cachedPack(cacheDir);
  const miss = first.plugin.validate(contextOf());
  expect(first.create).toHaveBeenCalledTimes(1);
  expect(summary(miss)).toEqual(summary(reference));
  expect(miss.success).toBe(false);

  // The same app in another output folder: from the cache, the pack never built.
  const second = cachedPack(cacheDir);
  const hit = second.plugin.validate(contextOf());
  expect(second.create).not.toHaveBeenCalled();
  expect(second.plugin.evaluations).toBe(0);
  expect(summary(hit)).toEqual(summary(reference));
  expect(hit.success).toBe(false);

  // Access logs turned on change the template: the pack runs, and the fix shows.
  const third = cachedPack(cacheDir);
  const fixed = third.plugin.validate(contextOf({ logged: true }));
  expect(third.plugin.evaluations).toBe(1);
  expect(summary(fixed)).toEqual([]);
  expect(fixed.success).toBe(true);
});

test('an acknowledgement, which no template holds, is part of the key', () => {
  const cacheDir = path.join(dir, 'cache-ack');
  cachedPack(cacheDir).plugin.validate(contextOf());
  const acked = cachedPack(cacheDir);
  const report = acked.plugin.validate(contextOf({ acknowledge: 'AwsSolutions-S1' }));
  expect(acked.plugin.evaluations).toBe(1);
  expect(summary(report)).toEqual([]);
  expect(summary(report)).toEqual(
    summary(new AwsSolutionsChecks().validate(contextOf({ acknowledge: 'AwsSolutions-S1' }))),
  );
});

test('a construct renamed is a new key: findings name the paths of this synth', () => {
  const cacheDir = path.join(dir, 'cache-path');
  cachedPack(cacheDir).plugin.validate(contextOf());
  const renamed = cachedPack(cacheDir);
  const report = renamed.plugin.validate(contextOf({ bucketId: 'Calls' }));
  expect(renamed.plugin.evaluations).toBe(1);
  expect(summary(report)).toContain('error AwsSolutions-S1 @ Nagged/Calls/Resource');
});

test('how the pack is built is part of the key: other options run it again', () => {
  const cacheDir = path.join(dir, 'cache-options');
  new CachedNagPack('AwsSolutions', () => new AwsSolutionsChecks(), cacheDir, 'plain').validate(contextOf());
  const create = jest.fn(() => new AwsSolutionsChecks(undefined, { verbose: true }));
  const verbose = new CachedNagPack('AwsSolutions', create, cacheDir, 'verbose');
  const report = verbose.validate(contextOf());
  expect(create).toHaveBeenCalledTimes(1);
  expect(summary(report)).toEqual(['error AwsSolutions-S1 @ Nagged/Recordings/Resource']);
});

test('RECORDING_ARCHIVE_CACHE=off runs the pack on every validation', () => {
  const before = process.env.RECORDING_ARCHIVE_CACHE;
  process.env.RECORDING_ARCHIVE_CACHE = 'off';
  try {
    const create = jest.fn(() => new AwsSolutionsChecks());
    const plugin = new CachedNagPack('AwsSolutions', create);
    plugin.validate(contextOf());
    plugin.validate(contextOf());
    expect(create).toHaveBeenCalledTimes(2);
  } finally {
    if (before === undefined) delete process.env.RECORDING_ARCHIVE_CACHE;
    else process.env.RECORDING_ARCHIVE_CACHE = before;
  }
});

test('the cached packs are the four packs, under the names they report', () => {
  expect(cachedNagPacks(path.join(dir, 'names')).map((p) => p.name)).toEqual(nagPacks().map((p) => p.name));
  expect(nagPacks().map((p) => p.name)).toEqual(['AwsSolutions', 'HIPAA.Security', 'PCI.DSS.321', 'NIST.800.53.R5']);
});

test('synthesis fails on an unacknowledged finding both when the pack runs and when the cache answers', () => {
  const cacheDir = path.join(dir, 'cache-synth');
  const synth = () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(dir, 'synth-')), builtinCloudFormationValidation: false });
    new s3.Bucket(new Stack(app, 'Nagged'), 'Recordings', { enforceSSL: true });
    Validations.of(app).addPlugins(...cachedNagPacks(cacheDir));
    return () => app.synth();
  };
  expect(synth()).toThrow(/AwsSolutions-S1/);
  expect(fs.readdirSync(path.join(cacheDir)).length).toBeGreaterThan(0);
  expect(synth()).toThrow(/AwsSolutions-S1/);
});
