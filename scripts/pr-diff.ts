import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENTS } from '../lib/config';
import { exitCode, renderStackReview, renderSummary, reviewStack, StackReview } from './pr-review/classify-diff';
import { resolveCommit, StackTemplates, synthesize, SynthError, withWorktree } from './pr-review/synth-ref';
import { CliError, CliIo, CommandSpec, describeError, exitWith, OptionValues, runCommand } from './lib/cli';

export const spec: CommandSpec = {
  usage: 'npm run diff -- --base REF [--head REF] [--env NAME] [--allow]',
  summary:
    'Synthesizes REF and the working tree (or --head) per environment and diffs the templates offline; exits 1 on a stateful replacement or broader permissions (unless --allow), 2 when it cannot synthesize.',
  options: {
    base: { type: 'string', placeholder: 'REF', required: true, description: 'git ref to compare against' },
    head: { type: 'string', placeholder: 'REF', description: 'git ref to compare instead of the working tree' },
    env: { type: 'string', placeholder: 'NAME', description: 'only this committed environment (default: every one)' },
    allow: { type: 'boolean', description: 'report blocking changes but exit 0 (a reviewer accepted them)' },
  },
  examples: ['npm run diff -- --base main', 'npm run diff -- --base HEAD~1 --env prod'],
};

interface Options {
  readonly base: string;
  /** A ref to compare instead of the working tree. */
  readonly head?: string;
  readonly envNames: readonly string[];
  readonly allow: boolean;
}

function optionsOf(values: OptionValues): Options {
  const env = values['env'] as string | undefined;
  if (env !== undefined && !Object.hasOwn(ENVIRONMENTS, env)) {
    throw new CliError(`Environment "${env}" is not committed; use one of: ${Object.keys(ENVIRONMENTS).join(', ')}.`);
  }
  return {
    base: values['base'] as string,
    head: values['head'] as string | undefined,
    envNames: env ? [env] : Object.keys(ENVIRONMENTS),
    allow: values['allow'] === true,
  };
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
function withHead<T>(
  repoRoot: string,
  options: Options,
  scratch: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  if (options.head === undefined) return work(repoRoot);
  return withWorktree(repoRoot, resolveCommit(repoRoot, options.head), path.join(scratch, 'head'), work);
}

/** Synthesizes the base ref and the working tree (or `--head`) per environment, prints the review, returns the exit code. */
async function main(values: OptionValues, io: CliIo): Promise<number> {
  const options = optionsOf(values);
  const repoRoot = path.join(__dirname, '..');
  const commit = resolveCommit(repoRoot, options.base);
  const headLabel = options.head ?? 'working tree';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-diff-'));
  try {
    const reviews = await withWorktree(repoRoot, commit, path.join(scratch, 'base'), (baseDir) =>
      withHead(repoRoot, options, scratch, async (headDir) => {
        const all: StackReview[] = [];
        for (const envName of options.envNames) {
          const [base, head] = await Promise.all([
            synthesizeBase(baseDir, envName, path.join(scratch, 'out', 'base', envName)),
            synthesize(headDir, envName, path.join(scratch, 'out', 'head', envName)),
          ]);
          io.stdout.write(`=== Environment ${envName}: ${options.base} (${commit.slice(0, 12)}) -> ${headLabel} ===\n`);
          const names = [...new Set([...base.keys(), ...head.keys()])].sort();
          for (const stackName of names) {
            const review = reviewStack({ stackName, base: base.get(stackName), head: head.get(stackName) });
            io.stdout.write(`${renderStackReview(review)}\n`);
            all.push(review);
          }
        }
        return all;
      }),
    );
    io.stdout.write(renderSummary(reviews, options.allow));
    return exitCode(reviews, options.allow);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

exitWith(
  runCommand(spec, async (values, io) => {
    try {
      return await main(values, io);
    } catch (error) {
      // Documented: 2 when no diff could be computed (a ref that does not resolve, a side that
      // cannot be synthesized); 1 is kept for blocking changes.
      if (!(error instanceof CliError)) {
        io.stderr.write(`error: ${describeError(error)}\n`);
        return 2;
      }
      throw error;
    }
  }),
);
