import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Template } from './classify-diff';

/** The templates of one synthesized cloud assembly, by stack name. */
export type StackTemplates = ReadonlyMap<string, Template>;

function git(cwd: string, args: readonly string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The commit a ref names, or an error naming the ref. */
export function resolveCommit(repoRoot: string, ref: string): string {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`Ref ${ref} names no commit in this repository (in CI, check out with fetch-depth: 0).`);
  return result.stdout.trim();
}

/**
 * Checks out `commit` in a temporary git worktree at `dir` that shares `repoRoot`'s node_modules,
 * runs `work` on it, and removes the worktree afterwards, also when `work` fails.
 */
export async function withWorktree<T>(
  repoRoot: string,
  commit: string,
  dir: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  git(repoRoot, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  try {
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return await work(dir);
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: repoRoot });
    spawnSync('git', ['worktree', 'prune'], { cwd: repoRoot });
  }
}

/** Why a synth failed: the environment is not committed on that side, or anything else. */
export class SynthError extends Error {
  constructor(
    message: string,
    readonly environmentMissing: boolean,
  ) {
    super(message);
  }
}

/** Runs the checkout's own app with the cdk CLI: `npx cdk synth -c env=NAME -o OUT`. */
export function synthesize(appDir: string, envName: string, outDir: string): Promise<StackTemplates> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-c', `env=${envName}`, '-o', outDir], {
      cwd: appDir,
      env: { ...process.env, FORCE_COLOR: '0', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        const missing = output.includes(`Environment "${envName}" is not committed`);
        const tail = output
          .split('\n')
          .filter((l) => l.trim() !== '' && !l.startsWith('npm warn'))
          .slice(-15)
          .join('\n');
        reject(new SynthError(`cdk synth of ${envName} in ${appDir} failed (exit ${code}):\n${tail}`, missing));
        return;
      }
      try {
        resolve(readAssembly(outDir));
      } catch (error: unknown) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Reads every stack template listed in a cloud assembly's manifest.json. */
export function readAssembly(outDir: string): StackTemplates {
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  const stacks = new Map<string, Template>();
  for (const [id, value] of Object.entries(record(record(manifest)['artifacts']))) {
    const artifact = record(value);
    if (artifact['type'] !== 'aws:cloudformation:stack') continue;
    const properties = record(artifact['properties']);
    const stackName = typeof properties['stackName'] === 'string' ? properties['stackName'] : id;
    const template: unknown = JSON.parse(
      fs.readFileSync(path.join(outDir, String(properties['templateFile'])), 'utf8'),
    );
    stacks.set(stackName, record(template));
  }
  return stacks;
}
