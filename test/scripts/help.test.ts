import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** package.json scripts that are build and test plumbing, not user commands. */
const NOT_COMMANDS = new Set([
  'test',
  'test:unit',
  'typecheck',
  'synth',
  'cdk',
  'bench',
  'lint',
  'format',
  'format:check',
  'lint:fix',
]);

/** Every user command in package.json: its name and the script file tsx runs. */
function commands(): Array<[string, string]> {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  return Object.entries(scripts)
    .filter(([name]) => !NOT_COMMANDS.has(name))
    .map(([name, command]) => {
      const file = /^tsx (\S+\.ts)$/.exec(command)?.[1];
      if (!file)
        throw new Error(
          `package.json script "${name}" is not \`tsx <file>.ts\`; make it one, or list it in NOT_COMMANDS.`,
        );
      return [name, file];
    });
}

function run(file: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, AWS_REGION: '', NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('there are user commands to check', () => {
  expect(commands().length).toBeGreaterThanOrEqual(4);
});

describe.each(commands())('npm run %s', (_name, file) => {
  test('--help prints a usage line and every option, and exits 0', () => {
    const { status, stdout } = run(file, ['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^usage: npm run \S+/m);
    expect(stdout).toContain('--help');
  });

  test('an unknown option exits 2 with the usage line', () => {
    const { status, stderr } = run(file, ['--no-such-option']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^usage: npm run \S+|unknown command/m);
  });
});
