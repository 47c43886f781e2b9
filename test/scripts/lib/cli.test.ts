import { CliError, CommandSpec, describeError, progress, runCommand, runSubcommands } from '../../../scripts/lib/cli';
import { captureIo } from '../../support/capture-output';

const spec: CommandSpec = {
  usage: 'npm run demo -- --env NAME [--dry-run]',
  summary: 'Does a demo thing.',
  options: {
    env: { type: 'string', placeholder: 'NAME', description: 'committed environment', required: true },
    'dry-run': { type: 'boolean', description: 'write nothing' },
  },
};

const io = captureIo;

describe('runCommand', () => {
  test('--help prints every option and exits 0 without running', async () => {
    const { io: streams, text } = io();
    const main = jest.fn();
    expect(await runCommand(spec, main, ['--help'], streams)).toBe(0);
    expect(main).not.toHaveBeenCalled();
    expect(text.out).toContain('usage: npm run demo -- --env NAME [--dry-run]');
    expect(text.out).toContain('--env NAME');
    expect(text.out).toContain('--dry-run');
  });

  test('an unknown option exits 2 with the usage', async () => {
    const { io: streams, text } = io();
    expect(await runCommand(spec, jest.fn(), ['--env', 'x', '--bogus'], streams)).toBe(2);
    expect(text.err).toMatch(/^error: Unknown option '--bogus'/);
    expect(text.err).toContain('usage: npm run demo');
  });

  test('a missing required option exits 2', async () => {
    const { io: streams, text } = io();
    expect(await runCommand(spec, jest.fn(), [], streams)).toBe(2);
    expect(text.err).toContain('error: --env is required.');
  });

  test('a failure prints one sentence, no stack, and exits 1', async () => {
    const { io: streams, text } = io();
    const code = await runCommand(
      spec,
      async () => {
        throw new CliError('The secret x does not exist; create it first.');
      },
      ['--env', 'x'],
      streams,
    );
    expect(code).toBe(1);
    expect(text.err).toBe('error: The secret x does not exist; create it first.\n');
  });

  test('main returns its exit code', async () => {
    const { io: streams } = io();
    expect(await runCommand(spec, async (v) => (v['dry-run'] ? 0 : 3), ['--env', 'x'], streams)).toBe(3);
  });
});

describe('runSubcommands', () => {
  test('--help lists commands and exits 0; an unknown command exits 2', async () => {
    const a = io();
    expect(
      await runSubcommands('npm run demo --', 'Demo.', { find: { spec, main: jest.fn() } }, ['--help'], a.io),
    ).toBe(0);
    expect(a.text.out).toContain('find');
    const b = io();
    expect(await runSubcommands('npm run demo --', 'Demo.', { find: { spec, main: jest.fn() } }, ['lose'], b.io)).toBe(
      2,
    );
    expect(b.text.err).toBe('error: unknown command "lose"; use one of: find.\n');
  });
});

describe('describeError', () => {
  test('a refused connection names the host', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 9,
    });
    expect(describeError(new Error('fetch failed', { cause: error }))).toBe(
      'Could not reach 127.0.0.1:9 (ECONNREFUSED); check the network, the region or --base-url.',
    );
  });
  test('the SDK region error becomes an instruction', () => {
    expect(describeError(new Error('Region is missing'))).toBe(
      'No AWS region is set; pass --region or set AWS_REGION.',
    );
  });
});

describe('progress', () => {
  test('plain lines when not a terminal, throttled but always the last one', () => {
    const { io: streams, text } = io();
    let t = 0;
    const p = progress('export', { stream: streams.stderr, intervalMs: 1000, now: () => t });
    p.update(1, 4, 'processed 1');
    t = 10;
    p.update(2, 4);
    t = 20;
    p.update(4, 4, 'processed 4');
    p.done('4 exported');
    expect(text.err).toBe('export: 25% 1/4 processed 1\nexport: 100% 4/4 processed 4\nexport: 4 exported\n');
  });
});
