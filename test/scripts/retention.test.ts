import { ENVIRONMENTS, loadConfig } from '../../lib/config';
import { captureIo } from '../support/capture-output';
import { retentionTimeline } from '../../lib/retention/timeline';
import { main, RETENTION_SPEC } from '../../scripts/retention';
import { runCommand } from '../../scripts/lib/cli';

const io = captureIo;

describe('npm run retention', () => {
  test('prints one table line per timeline row with its days, and numbered notes', async () => {
    const { io: streams, text } = io();
    expect(await runCommand(RETENTION_SPEC, main, ['--env', 'sample'], streams)).toBe(0);
    const rows = retentionTimeline(loadConfig('sample'));
    const lines = text.out.split('\n');
    expect(lines[0]).toBe('Retention timeline of sample (days after a recording is written):');
    expect(lines[2]).toMatch(
      /^recording\s+copy\s+IA\s+Glacier\s+Deep Archive\s+locked until\s+delete marker\s+bytes gone\s+Genesys native\s+notes$/,
    );
    const body = lines.slice(4, 4 + rows.length);
    rows.forEach((row, i) => {
      expect(body[i]).toContain(row.bucket);
      expect(body[i]).toMatch(new RegExp(`\\s${row.deleteMarkerDay}\\s+${row.bytesGoneDay}\\s`));
    });
    expect(text.out).toContain('[1] ');
    expect(text.err).toBe('');
  });

  test("--json prints exactly the pure function's rows", async () => {
    const { io: streams, text } = io();
    expect(await runCommand(RETENTION_SPEC, main, ['--env', 'prod', '--json'], streams)).toBe(0);
    expect(JSON.parse(text.out)).toEqual(JSON.parse(JSON.stringify(retentionTimeline(loadConfig('prod')))));
  });

  test('an unknown environment is one sentence and exit 1; no --env is a usage error', async () => {
    const a = io();
    expect(await runCommand(RETENTION_SPEC, main, ['--env', 'nope'], a.io)).toBe(1);
    expect(a.text.err).toBe(
      `error: The environment "nope" is not committed; pass --env with one of: ${Object.keys(ENVIRONMENTS).join(', ')}.\n`,
    );
    const b = io();
    expect(await runCommand(RETENTION_SPEC, main, [], b.io)).toBe(2);
    expect(b.text.err).toContain('error: --env is required.');
  });
});
