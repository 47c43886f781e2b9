import { PassThrough } from 'stream';
import { loadConfig } from '../../lib/config';
import { costProjection } from '../../lib/cost/projection';
import { retentionTimeline } from '../../lib/retention/timeline';
import { runCommand } from '../../scripts/lib/cli';
import { COST_SPEC, costMain } from '../../scripts/evidence/commands';

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  const read = (s: PassThrough) => () => String(s.read() ?? '');
  return { io: { stdout: out, stderr: err }, stdout: read(out), stderr: read(err) };
}

const run = (argv: string[], streams = io()) =>
  runCommand(COST_SPEC, (v, i) => costMain(v, i, { timelineOf: retentionTimeline }), argv, streams.io).then((code) => ({
    code,
    ...streams,
  }));

describe('npm run cost', () => {
  test('--json prints the projection of the environment timeline and the committed prices', async () => {
    const r = await run(['--env', 'prod', '--recordings-per-day', '20000', '--average-mb', '3', '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout());
    const expected = costProjection({
      rows: retentionTimeline(loadConfig('prod')),
      recordingsPerDay: 20000,
      averageMb: 3,
      region: 'us-east-1',
      replicaRegion: 'us-west-2',
    });
    expect(printed.totalMonthlyUsd).toBeCloseTo(expected.totalMonthlyUsd, 9);
    expect(printed.priceTables.map((t: { region: string }) => t.region)).toEqual(['us-east-1', 'us-west-2']);
  });

  test('text output: tables, a warning for small recordings of a short class, and the price source', async () => {
    const r = await run([
      '--env',
      'sample',
      '--recordings-per-day',
      '1000',
      '--average-mb',
      '0.5',
      '--share',
      'genesys=0.2',
      '--share',
      'short=0.8',
    ]);
    expect(r.code).toBe(0);
    const text = r.stdout();
    expect(text).toContain(
      'Steady-state monthly cost of sample: 1000 recordings a day of 0.5 MB (genesys 20%, short 80%)',
    );
    expect(text).toMatch(/^total +\$\d+\.\d\d$/m);
    expect(text).toContain('Prices: us-east-1 (https://aws.amazon.com/s3/pricing/');
  });

  test('usage errors exit 2 with the usage line; a bad share exits 1 with one sentence', async () => {
    const missing = await run(['--env', 'sample', '--average-mb', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr()).toContain('error: --recordings-per-day is required.\nusage: npm run cost -- --env NAME');
    const zero = await run(['--env', 'sample', '--recordings-per-day', '0', '--average-mb', '1']);
    expect(zero.code).toBe(2);
    expect(zero.stderr()).toContain('error: --recordings-per-day must be a number above 0 (got "0").');
    const share = await run([
      '--env',
      'sample',
      '--recordings-per-day',
      '10',
      '--average-mb',
      '1',
      '--share',
      'gold=1',
    ]);
    expect(share.code).toBe(1);
    expect(share.stderr()).toBe(
      'error: --share gold: no recordings of that source or class in this environment; use one of: genesys, short, long, untagged.\n',
    );
    const region = await run([
      '--env',
      'sample',
      '--recordings-per-day',
      '10',
      '--average-mb',
      '1',
      '--region',
      'eu-west-3',
    ]);
    expect(region.code).toBe(1);
    expect(region.stderr()).toMatch(
      /^error: No price table is committed for eu-west-3; add lib\/cost\/prices\/eu-west-3.json/,
    );
  });

  test('--help exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain('usage: npm run cost -- --env NAME --recordings-per-day N --average-mb M');
  });
});
