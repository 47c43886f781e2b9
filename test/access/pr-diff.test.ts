import { spawnSync } from 'child_process';
import * as path from 'path';

const repoRoot = path.join(__dirname, '..', '..');

function runDiff(args: readonly string[]) {
  const result = spawnSync('npx', ['tsx', 'scripts/pr-diff.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function worktrees(): string[] {
  return spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line.startsWith('worktree '));
}

test('npm run diff synthesizes the previous commit and HEAD offline, reviews them and removes its worktrees', () => {
  const before = worktrees();
  const { code, stdout, stderr } = runDiff(['--base', 'HEAD~1', '--head', 'HEAD', '--env', 'sample']);
  expect(stderr).not.toMatch(/failed/);
  expect([0, 1]).toContain(code);
  expect(stdout).toMatch(/^=== Environment sample: HEAD~1 \([0-9a-f]{12}\) -> HEAD ===$/m);
  expect(stdout).toContain('Stack RecordingArchive-sample-Archive');
  // The exit code and the printed verdict agree.
  expect(stdout.includes('\nBlocking: a reviewer must accept these changes')).toBe(code === 1);
  expect(worktrees().filter((w) => !before.includes(w))).toEqual([]);
});

test('an unknown base ref fails with one sentence and exit code 2', () => {
  const before = worktrees();
  const { code, stderr } = runDiff(['--base', 'no-such-ref-anywhere']);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n').pop()).toBe(
    'error: Ref no-such-ref-anywhere names no commit in this repository (in CI, check out with fetch-depth: 0).',
  );
  expect(worktrees().filter((w) => !before.includes(w))).toEqual([]);
});
