import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// `cdk synth` of the sample environment (every function bundled) against a bare one-stack app,
// both run the way a user runs them: the cdk CLI spawning `tsx`, in fresh processes, with
// cdk.json's context. Rounds alternate between the two; one warm-up round of each is not counted
// (it fills tsx's compile cache and the app's synth caches, node_modules/.cache/recording-archive).
// "sample" is the synth a developer repeats (nothing changed since the last one: bundles and
// validation results come from the cache); "sample, cold" runs each round with an empty cache
// (a fresh clone, or every function and template changed), so everything is bundled and
// validated. Wall time is what the user waits for; CPU time (user + sys of every process) is
// printed too because other work on the machine inflates wall time.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.resolve(__dirname, '..', '..');
const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** `keep`: leave the output folder for the next synth, as `cdk synth` leaves `cdk.out`. */
function synth(app: string | undefined, out: string, env: NodeJS.ProcessEnv = process.env, keep = false): Run {
  const outdir = path.join(tmp, out);
  const args = ['synth', '--quiet', '--no-notices', '-o', outdir, ...(app ? ['--app', app] : [])];
  // bash's `times` prints the CPU time of the finished children: the CLI, tsx and esbuild.
  const script = `"$0" "$@" >/dev/null 2>"${outdir}.err" || { cat "${outdir}.err" >&2; exit 1; }; times`;
  const start = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', script, cdk, ...args], { cwd: root, encoding: 'utf8', env });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`cdk synth ${app ?? '(sample)'} failed: ${run.stderr}`);
  if (!keep) fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(`${outdir}.err`, { force: true });
  const children = run.stdout.trim().split('\n').pop()!;
  const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  );
  return { wallMs, cpuMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// The bare app runs by the same command as cdk.json's app (`npx tsx bin/app.ts`), file swapped.
const appCommand = (JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')) as { app: string }).app;
if (!appCommand.includes('bin/app.ts')) throw new Error(`cdk.json's app (${appCommand}) does not run bin/app.ts.`);
const bareApp = appCommand.replace('bin/app.ts', path.relative(root, path.join(__dirname, 'bare-app.ts')));
try {
  const cachedBare = { ...process.env, BENCH_BARE_CACHED: '1' };
  // The repeated synths write where the warm-up wrote, as a developer's `cdk synth` writes to the
  // cdk.out of the last one (assets already staged there stay); a cold synth gets a new folder.
  synth(bareApp, 'bare', process.env, true);
  synth(bareApp, 'bare-cached', cachedBare, true);
  synth(undefined, 'sample', process.env, true);
  const bare: Run[] = [];
  const bareCached: Run[] = [];
  const sample: Run[] = [];
  const cold: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(synth(bareApp, 'bare', process.env, true));
    bareCached.push(synth(bareApp, 'bare-cached', cachedBare, true));
    sample.push(synth(undefined, 'sample', process.env, true));
    const empty = fs.mkdtempSync(path.join(tmp, 'cache-'));
    cold.push(synth(undefined, `cold-${round}`, { ...process.env, RECORDING_ARCHIVE_CACHE: empty }));
    fs.rmSync(empty, { recursive: true, force: true });
    process.stderr.write(
      `round ${round + 1}/${ROUNDS}: bare ${(bare[round].wallMs / 1000).toFixed(2)} s, bare+cache ${(bareCached[round].wallMs / 1000).toFixed(2)} s, sample ${(sample[round].wallMs / 1000).toFixed(2)} s, cold ${(cold[round].wallMs / 1000).toFixed(2)} s\n`,
    );
  }
  const row = (name: string, runs: Run[]) =>
    `${name.padEnd(22)} ${(median(runs.map((r) => r.wallMs)) / 1000).toFixed(2).padStart(8)} s ${(median(runs.map((r) => r.cpuMs)) / 1000).toFixed(2).padStart(8)} s`;
  const ratio = (runs: Run[], base: Run[], pick: (r: Run) => number) => median(runs.map(pick)) / median(base.map(pick));
  const ratioRow = (name: string, runs: Run[], note: string, base: Run[] = bare) => {
    const wall = ratio(runs, base, (r) => r.wallMs).toFixed(2);
    const cpu = ratio(runs, base, (r) => r.cpuMs).toFixed(2);
    return `${name.padEnd(22)} ${wall.padStart(8)} x ${cpu.padStart(8)} x${note}`;
  };
  process.stdout.write(
    `cdk synth on Node.js ${process.version}, median of ${ROUNDS} fresh runs each   wall        CPU\n`,
  );
  process.stdout.write(
    `${row('bare one-stack app', bare)}\n${row('bare, same caches', bareCached)}\n${row('sample (3 stacks, 9 fn)', sample)}\n${row('sample, cold cache', cold)}\n`,
  );
  process.stdout.write(`${ratioRow('ratio sample / bare', sample, '   (target <= 1.5 wall)')}\n`);
  process.stdout.write(`${ratioRow('ratio sample / bare+c', sample, '   (both with the caches)', bareCached)}\n`);
  process.stdout.write(`${ratioRow('ratio cold / bare', cold, '')}\n`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
