import { App } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleEntries, BundleFiles, PROJECT_ROOT } from '../../lib/bundling/function-bundles';
import { ArchiveFunction } from '../../lib/constructs/archive-function';
import { createStacks } from '../../lib/create-stacks';
import { loadConfig } from '../../lib/config';
import { cdkContext } from '../support/app';

// Each function's bundle today (the options NodejsFunction ran with: bundle, minify, external
// source map with the sources inside, CommonJS builds of packages, and `import { z } from 'zod'`)
// against the shared build, both built here in one run. Size is index.js; module-load time is
// `require` of the bundle in a fresh `node --enable-source-maps` process with the function's own
// environment (a cold-start proxy), median of LOAD_ROUNDS, the two variants alternating.
const LOAD_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TODAY_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: true,
  logLevel: 'silent',
};

interface Fn {
  readonly name: string;
  readonly entry: string;
  readonly environment: Record<string, string>;
}

/** A template value as a string: joins joined, references as made-up names (JSON built by a join stays JSON). */
function concrete(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(concrete).join(separator);
    }
    if (typeof v['Ref'] === 'string') return `ref-${v['Ref'].toLowerCase()}`;
    if (Array.isArray(v['Fn::GetAtt'])) return `att-${(v['Fn::GetAtt'] as string[]).join('-').toLowerCase()}`;
  }
  return 'placeholder';
}

/** The functions of the sample environment with their environment variables (tokens as made-up values). */
function sampleFunctions(): Fn[] {
  const app = new App({
    context: { ...cdkContext(), env: 'sample', 'aws:cdk:bundling-stacks': [] },
    outdir: path.join(tmp, 'cdk.out'),
  });
  createStacks(app, loadConfig('sample'));
  const found = app.node.findAll().filter((c): c is ArchiveFunction => c instanceof ArchiveFunction);
  return found.map((fn) => {
    const cfn = fn.function.node.defaultChild as CfnFunction;
    const resolved = fn.function.stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
    const vars = resolved?.variables ?? {};
    const environment = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, concrete(v)]));
    return { name: fn.node.path.split('/').slice(1).join('/'), entry: fn.entry, environment };
  });
}

/** Today's build: the old options, and handler sources read back with today's zod import (classic `{ z }`). */
async function todaysBundles(entries: string[]): Promise<Map<string, BundleFiles>> {
  const outdir = path.join(PROJECT_ROOT, '.bundles');
  const keys = new Map(entries.map((entry, i) => [`f${i}/index`, entry]));
  const todaysImports: esbuild.Plugin = {
    name: 'todays-zod-import',
    setup(build) {
      build.onLoad({ filter: /[\\/]lambda[\\/].*\.ts$/ }, (args) => ({
        contents: fs
          .readFileSync(args.path, 'utf8')
          // Handlers now take zod/mini from lambda/shared/zod; the classic API has every function
          // they call (z.optional, z.minLength, ...), so the old import builds them as before.
          .replace(/^import \* as z from '(?:(?:\.\.?\/)+(?:shared\/)?)?zod';$/m, "import { z } from 'zod';"),
        loader: 'ts',
      }));
    },
  };
  const result = await esbuild.build({
    ...TODAY_OPTIONS,
    entryPoints: Object.fromEntries(keys),
    outdir,
    absWorkingDir: PROJECT_ROOT,
    write: false,
    plugins: [todaysImports],
  });
  const bundles = new Map<string, BundleFiles>();
  for (const [key, entry] of keys) {
    const files = new Map<string, Uint8Array>();
    for (const out of result.outputFiles) {
      const rel = path.relative(outdir, out.path);
      if (rel === `${key}.js` || rel === `${key}.js.map`)
        files.set(rel.replace(/^.*\//, '').replace(/^[^.]*/, 'index'), out.contents);
    }
    bundles.set(entry, files);
  }
  return bundles;
}

function write(dir: string, files: BundleFiles): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, contents] of files) fs.writeFileSync(path.join(dir, name), contents);
  return path.join(dir, 'index.js');
}

const LOADER =
  'const s = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - s) / 1e6));';

function loadMs(file: string, environment: Record<string, string>): number {
  const env = { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'bench', ...environment };
  const run = spawnSync(process.execPath, ['--enable-source-maps', '-e', LOADER, file], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`Loading ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundles-'));
async function main(): Promise<void> {
  const fns = sampleFunctions();
  const entries = [...new Set(fns.map((f) => f.entry))];
  const today = await todaysBundles(entries);
  const shared = bundleEntries(entries);
  const rows: string[][] = [];
  let sizeRatioMax = 0;
  let loadRatioMax = 0;
  for (const [i, fn] of fns.entries()) {
    const before = today.get(fn.entry)!;
    const after = shared.get(fn.entry)!.files;
    const beforeFile = write(path.join(tmp, 'today', String(i)), before);
    const afterFile = write(path.join(tmp, 'now', String(i)), after);
    const beforeLoads: number[] = [];
    const afterLoads: number[] = [];
    for (let round = 0; round < LOAD_ROUNDS; round++) {
      beforeLoads.push(loadMs(beforeFile, fn.environment));
      afterLoads.push(loadMs(afterFile, fn.environment));
    }
    const sizes = [before.get('index.js')!.length, after.get('index.js')!.length];
    const maps = [before.get('index.js.map')!.length, after.get('index.js.map')!.length];
    const loads = [median(beforeLoads), median(afterLoads)];
    sizeRatioMax = Math.max(sizeRatioMax, sizes[1] / sizes[0]);
    loadRatioMax = Math.max(loadRatioMax, loads[1] / loads[0]);
    rows.push([
      fn.name,
      kb(sizes[0]),
      kb(sizes[1]),
      (sizes[1] / sizes[0]).toFixed(2),
      kb(maps[0]),
      kb(maps[1]),
      `${loads[0].toFixed(1)} ms`,
      `${loads[1].toFixed(1)} ms`,
      (loads[1] / loads[0]).toFixed(2),
    ]);
  }
  const header = [
    'function',
    'size today',
    'size now',
    'ratio',
    'map today',
    'map now',
    'load today',
    'load now',
    'ratio',
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  process.stdout.write(
    `bundles of the sample environment; load = require() in a fresh node ${process.version} --enable-source-maps, median of ${LOAD_ROUNDS}\n`,
  );
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(
    `largest ratio now/today: size ${sizeRatioMax.toFixed(2)}, load ${loadRatioMax.toFixed(2)} (target <= 0.33)\n`,
  );
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
