import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENTS } from '../lib/config';
import { exitCode, renderStackReview, renderSummary, reviewStack, StackReview } from './pr-review/classify-diff';
import { resolveCommit, StackTemplates, synthesize, SynthError, withWorktree } from './pr-review/synth-ref';

const USAGE = 'usage: npm run diff -- --base REF [--head REF] [--env NAME] [--allow]';

interface Options {
  readonly base: string;
  /** A ref to compare instead of the working tree. */
  readonly head?: string;
  readonly envNames: readonly string[];
  readonly allow: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let base: string | undefined;
  let env: string | undefined;
  let head: string | undefined;
  let allow = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--base') base = argv[++i];
    else if (arg === '--head') head = argv[++i];
    else if (arg === '--env') env = argv[++i];
    else if (arg === '--allow') allow = true;
    else throw new Error(`Unknown argument ${arg}; ${USAGE}.`);
  }
  if (!base) throw new Error(`--base REF is required; ${USAGE}.`);
  if (env !== undefined && !(env in ENVIRONMENTS)) {
    throw new Error(`Environment "${env}" is not committed; use one of: ${Object.keys(ENVIRONMENTS).join(', ')}.`);
  }
  return { base, head, envNames: env ? [env] : Object.keys(ENVIRONMENTS), allow };
}

async function synthesizeBase(dir: string, envName: string, outDir: string): Promise<StackTemplates> {
  try {
    return await synthesize(dir, envName, outDir);
  } catch (error: unknown) {
    // An environment added by the pull request has nothing on the base side.
    if (error instanceof SynthError && error.environmentMissing) return new Map();
    throw error;
  }
}

/** Runs `work` in the working tree, or in a temporary worktree of the head ref when one is given. */
function withHead<T>(repoRoot: string, options: Options, scratch: string, work: (dir: string) => Promise<T>): Promise<T> {
  if (options.head === undefined) return work(repoRoot);
  return withWorktree(repoRoot, resolveCommit(repoRoot, options.head), path.join(scratch, 'head'), work);
}

/** Synthesizes the base ref and the working tree (or `--head`) per environment, prints the review, returns the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  const repoRoot = path.join(__dirname, '..');
  const commit = resolveCommit(repoRoot, options.base);
  const headLabel = options.head ?? 'working tree';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-diff-'));
  try {
    const reviews = await withWorktree(repoRoot, commit, path.join(scratch, 'base'), (baseDir) => withHead(repoRoot, options, scratch, async (headDir) => {
      const all: StackReview[] = [];
      for (const envName of options.envNames) {
        const [base, head] = await Promise.all([
          synthesizeBase(baseDir, envName, path.join(scratch, 'out', 'base', envName)),
          synthesize(headDir, envName, path.join(scratch, 'out', 'head', envName)),
        ]);
        process.stdout.write(`=== Environment ${envName}: ${options.base} (${commit.slice(0, 12)}) -> ${headLabel} ===\n`);
        const names = [...new Set([...base.keys(), ...head.keys()])].sort();
        for (const stackName of names) {
          const review = reviewStack({ stackName, base: base.get(stackName), head: head.get(stackName) });
          process.stdout.write(`${renderStackReview(review)}\n`);
          all.push(review);
        }
      }
      return all;
    }));
    process.stdout.write(renderSummary(reviews, options.allow));
    return exitCode(reviews, options.allow);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
