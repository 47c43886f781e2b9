import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArchiveFunction } from '../../lib/constructs/archive-function';
import {
  BUNDLE_OPTIONS,
  bundleBuilds,
  bundleEntries,
  clearBundleCache,
  discoverEntries,
  functionBundle,
  LAMBDA_ROOT,
  setBundleDiskCache,
} from '../../lib/bundling/function-bundles';
import { cdkContext } from '../support/app';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-function-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Synthesizes one stack with one ArchiveFunction (bundled unless told) and returns its asset folder. */
function synthOne(entry: string, options: { bundle?: boolean; outdir?: string } = {}) {
  const context: Record<string, unknown> = { ...cdkContext() };
  if (options.bundle === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, outdir: options.outdir ?? fs.mkdtempSync(path.join(tmp, 'cdk.out-')) });
  const stack = new Stack(app, 'FunctionStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = new ArchiveFunction(stack, 'Fn', {
    entry,
    description: 'test function',
    failureHandling: 'test',
    key: new kms.Key(stack, 'Key'),
  });
  const assembly = app.synth();
  const code = (fn.function.node.defaultChild as CfnFunction).code as CfnFunction.CodeProperty;
  const s3Key = stack.resolve(code.s3Key) as string;
  return {
    template: Template.fromStack(stack),
    assetDir: path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`),
    s3Key,
  };
}

function writeEntry(name: string, source: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, source);
  return file;
}

test('every function keeps the defaults: Node.js 22 on arm64, tracing, JSON logs, encrypted environment, reserved concurrency, source maps, own-log-group role', () => {
  const { template } = synthOne(path.join(LAMBDA_ROOT, 'genesys-ip-ranges-drift', 'handler.ts'), { bundle: false });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs22.x',
    Architectures: ['arm64'],
    Handler: 'index.handler',
    Timeout: 60,
    MemorySize: 256,
    TracingConfig: { Mode: 'Active' },
    LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: 'FnLogs429188E7' } },
    KmsKeyArn: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
    ReservedConcurrentExecutions: 5,
    Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'Fn' } },
  });
  template.hasResourceProperties('AWS::Logs::LogGroup', {
    KmsKeyId: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
    RetentionInDays: 365,
  });
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  expect(roles[0].Properties.ManagedPolicyArns).toEqual([]);
});

test('entries are discovered under lambda/: every handler file directly in a function folder', () => {
  const names = discoverEntries().map((e) => path.relative(LAMBDA_ROOT, e));
  expect(names).toEqual(
    expect.arrayContaining([
      'genesys-connection/on-event.ts',
      'genesys-connection/is-complete.ts',
      'tag-recordings/handler.ts',
    ]),
  );
  expect(names.filter((n) => n.startsWith('shared/') || n.endsWith('/event.ts'))).toEqual([]);
});

test('one build bundles every discovered function; a second synth reuses it and the asset hash stays the same', () => {
  setBundleDiskCache(undefined);
  clearBundleCache();
  const before = bundleBuilds();
  const entry = path.join(LAMBDA_ROOT, 'genesys-ip-ranges-drift', 'handler.ts');
  const first = synthOne(entry);
  expect(bundleBuilds() - before).toBe(1);
  for (const other of discoverEntries()) functionBundle(other);
  expect(bundleBuilds() - before).toBe(1);
  const second = synthOne(entry);
  expect(bundleBuilds() - before).toBe(1);
  expect(second.s3Key).toBe(first.s3Key);
});

test('bundles are kept between processes: an unchanged entry is not rebuilt, an edited input is', () => {
  const store = fs.mkdtempSync(path.join(tmp, 'bundle-store-'));
  try {
    setBundleDiskCache(store);
    const entry = writeEntry('kept.ts', "export const handler = async (): Promise<string> => 'first';\n");
    clearBundleCache();
    const before = bundleBuilds();
    const first = Buffer.from(functionBundle(entry).get('index.js')!);
    expect(bundleBuilds() - before).toBe(1);
    // A new process (the memory cache forgotten) takes every bundle from the store: no build.
    clearBundleCache();
    expect(Buffer.from(functionBundle(entry).get('index.js')!).equals(first)).toBe(true);
    for (const other of discoverEntries()) functionBundle(other);
    expect(bundleBuilds() - before).toBe(1);
    // Touched, same content: the content decides, and the stored bundle is still used.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(entry, later, later);
    clearBundleCache();
    expect(Buffer.from(functionBundle(entry).get('index.js')!).equals(first)).toBe(true);
    expect(bundleBuilds() - before).toBe(1);
    // Same size, other content: the store's bundle is stale and the entry is bundled again.
    fs.writeFileSync(entry, "export const handler = async (): Promise<string> => 'other';\n");
    clearBundleCache();
    const edited = Buffer.from(functionBundle(entry).get('index.js')!).toString();
    expect(bundleBuilds() - before).toBe(2);
    expect(edited).toContain('other');
    expect(edited).not.toContain('first');
    // No half-written bundle is left beside the stored ones.
    expect(fs.readdirSync(store).every((name) => /^[0-9a-f]{32}$/.test(name))).toBe(true);
  } finally {
    setBundleDiskCache(undefined);
    clearBundleCache();
  }
});

test('a synth into the cdk.out of the last one writes nothing; an edited function gets a new asset hash', async () => {
  const entry = writeEntry('reused.ts', "export const handler = async (): Promise<string> => 'one';\n");
  const outdir = fs.mkdtempSync(path.join(tmp, 'cdk.out-reused-'));
  const first = synthOne(entry, { outdir });
  const staged = path.join(first.assetDir, 'index.js');
  const writtenAt = fs.statSync(staged).mtimeMs;
  // What CDK creates in cdk.out during the second synth (inotify reports it after the synth).
  const created: string[] = [];
  const watcher = fs.watch(outdir, (_event, name) => {
    if (name) created.push(String(name));
  });
  AssetStaging.clearAssetHashCache(); // as in a new `cdk synth` process
  const again = synthOne(entry, { outdir });
  await new Promise((resolve) => setTimeout(resolve, 200));
  watcher.close();
  // With the hash known up front CDK does not bundle into a temporary folder to learn it.
  expect(created.filter((name) => name.startsWith('bundling-temp'))).toEqual([]);
  expect(created).toContain('manifest.json');
  expect(again.s3Key).toBe(first.s3Key);
  expect(fs.statSync(staged).mtimeMs).toBe(writtenAt);
  expect(fs.readdirSync(outdir).filter((name) => name.startsWith('bundling-temp'))).toEqual([]);
  fs.writeFileSync(entry, "export const handler = async (): Promise<string> => 'two';\n");
  AssetStaging.clearAssetHashCache();
  const edited = synthOne(entry, { outdir });
  expect(edited.s3Key).not.toBe(first.s3Key);
  expect(fs.readFileSync(path.join(edited.assetDir, 'index.js'), 'utf8')).toContain('two');
});

test('a bundle does not depend on the other functions of its build: built alone it has the same bytes', () => {
  const entry = path.join(LAMBDA_ROOT, 'genesys-ip-ranges-drift', 'handler.ts');
  const together = bundleEntries(discoverEntries()).get(entry)!.files;
  const alone = bundleEntries([entry]).get(entry)!.files;
  expect([...alone.keys()].sort()).toEqual(['index.js', 'index.js.map']);
  for (const name of alone.keys())
    expect(Buffer.from(alone.get(name)!).equals(Buffer.from(together.get(name)!))).toBe(true);
});

test('a new entry outside lambda/ is bundled on demand and runs; its source map is a separate file with relative paths and no sources', async () => {
  const entry = writeEntry(
    'new-function.ts',
    'export const handler = async (event: { n: number }): Promise<number> => event.n * 2;\n',
  );
  const { assetDir } = synthOne(entry);
  expect(fs.readdirSync(assetDir).sort()).toEqual(['index.js', 'index.js.map']);
  const js = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
  expect(js.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
  expect(js).not.toContain('sourceMappingURL=data:');
  const map = JSON.parse(fs.readFileSync(path.join(assetDir, 'index.js.map'), 'utf8')) as {
    sources: string[];
    sourcesContent?: unknown;
  };
  expect(map.sourcesContent).toBeUndefined();
  expect(map.sources.every((s) => !path.isAbsolute(s))).toBe(true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(path.join(assetDir, 'index.js')) as {
    handler: (event: { n: number }) => Promise<number>;
  };
  await expect(handler({ n: 21 })).resolves.toBe(42);
});

test('a bundled SDK client takes its credentials from the environment, as Lambda passes them, without the rest of the default chain', async () => {
  const entry = writeEntry(
    'credentials.ts',
    "import { S3Client } from '@aws-sdk/client-s3';\n" +
      "export const handler = async () => new S3Client({ region: 'eu-west-1' }).config.credentials();\n",
  );
  // The entry lives outside the repository: it finds the repository's packages through nodePaths.
  const options = { ...BUNDLE_OPTIONS, nodePaths: [path.join(LAMBDA_ROOT, '..', 'node_modules')] };
  const bundle = bundleEntries([entry], options).get(entry)!;
  const inputs = Object.keys(bundle.metafile!.inputs);
  expect(inputs.some((i) => i.includes('@aws-sdk/client-s3/'))).toBe(true);
  expect(
    inputs.filter((i) => /credential-provider-(node|ini|sso|process|web-identity)|nested-clients/.test(i)),
  ).toEqual([]);
  const dir = fs.mkdtempSync(path.join(tmp, 'credentials-'));
  for (const [name, contents] of bundle.files) fs.writeFileSync(path.join(dir, name), contents);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(path.join(dir, 'index.js')) as { handler: () => Promise<Record<string, unknown>> };
  const saved = { ...process.env };
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';
    await expect(handler()).resolves.toMatchObject({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    delete process.env.AWS_ACCESS_KEY_ID;
    await expect(handler()).rejects.toThrow('Unable to find environment variable credentials.');
  } finally {
    process.env = saved;
  }
});

test('the source map maps our own lines only: a throw in the entry names its file and line, one inside a package names no file of ours', () => {
  // A package of its own under node_modules, whose function throws from inside itself.
  const pkg = path.join(tmp, 'node_modules', 'thrower');
  fs.mkdirSync(pkg, { recursive: true });
  // An ES module (as the AWS SDK's builds are): esbuild emits it in import order, after our helper.
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'thrower', module: 'index.mjs' }));
  fs.writeFileSync(
    path.join(pkg, 'index.mjs'),
    "export function boom(n) {\n  if (n > 0) throw new Error('thrown inside the package');\n  return n;\n}\n",
  );
  // Our own module first, so the package's code follows some of ours in the bundle.
  writeEntry('mapped-helper.ts', 'export const label = (n: number): string => `n=${n}`;\n');
  const entry = writeEntry(
    'mapped.ts',
    [
      "import { label } from './mapped-helper';",
      "import { boom } from 'thrower';",
      'export const handler = async (event: string): Promise<number> => {',
      "  if (event === 'ours') throw new Error(label(3));",
      '  return boom(1);',
      '};',
      '',
    ].join('\n'),
  );
  const bundle = bundleEntries([entry]).get(entry)!;
  const map = JSON.parse(Buffer.from(bundle.files.get('index.js.map')!).toString()) as { sources: string[] };
  const relative = (file: string) => path.relative(path.join(LAMBDA_ROOT, '..', '.bundles', 'f0'), file);
  expect(map.sources.sort()).toEqual([relative(path.join(tmp, 'mapped-helper.ts')), relative(entry)].sort());
  const dir = fs.mkdtempSync(path.join(tmp, 'mapped-'));
  for (const [name, contents] of bundle.files) fs.writeFileSync(path.join(dir, name), contents);
  const topFrame = (event: string) => {
    const script = `require(${JSON.stringify(path.join(dir, 'index.js'))}).handler(${JSON.stringify(event)}).catch((e) => { console.error(e.stack.split('\\n')[1]); process.exit(1); })`;
    const run = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    return run.stderr.trim().split('\n').pop()!;
  };
  expect(topFrame('ours')).toMatch(/mapped\.ts:4:\d+\)?$/);
  // The package's frame stays a bundle position: not its file (unmapped), never one of our lines.
  const inPackage = topFrame('theirs');
  expect(inPackage).toMatch(/index\.js:\d+:\d+\)?$/);
  expect(inPackage).not.toMatch(/mapped\.ts|thrower/);
});

test('an entry that does not bundle fails the synth with the file and esbuild’s reason', () => {
  const entry = writeEntry('broken.ts', "import { gone } from './missing';\nexport const handler = () => gone;\n");
  const rel = path.relative(path.resolve(LAMBDA_ROOT, '..'), entry);
  expect(() => synthOne(entry)).toThrow(`Could not bundle ${rel}: Could not resolve "./missing" (${rel}:1:21).`);
});

test('an entry that does not exist or is not a script is refused when the function is defined', () => {
  const missing = path.join(tmp, 'nope.ts');
  expect(() => synthOne(missing, { bundle: false })).toThrow(
    `ArchiveFunction entry ${missing} does not exist; pass path.join(__dirname, ...) to the handler file.`,
  );
  const text = writeEntry('notes.txt', 'hello');
  expect(() => synthOne(text, { bundle: false })).toThrow(
    `ArchiveFunction entry ${text} must be a .ts, .mts, .cts, .js, .mjs, .cjs file.`,
  );
});
