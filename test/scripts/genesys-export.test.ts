import { EXPORT_SPEC, main } from '../../scripts/genesys-export';
import { captureIo } from '../support/capture-output';
import { runCommand } from '../../scripts/lib/cli';
import { FakeGenesys } from '../support/fake-genesys';

let fake: FakeGenesys;
beforeAll(async () => {
  fake = await FakeGenesys.start('export-client', 'Exp0rt-S3cret-never-printed');
});
afterAll(() => fake.stop());

const INTEGRATION = 'aaaaaaaa-0000-4000-8000-000000000001';
beforeEach(() => {
  fake.reset();
  fake.state.integrations.set(INTEGRATION, {
    id: INTEGRATION,
    name: 'recording-archive-sample',
    integrationType: { id: 'aws-s3-recording-bulk-actions-integration' },
    intendedState: 'ENABLED',
    reportedState: { code: 'ACTIVE', effective: 'Active' },
    pollsUntilSettled: 0,
  });
  fake.state.recordings = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'].map((day, i) => ({
    conversationId: `c-${i}`,
    recordingId: `r-${i}`,
    startTime: `${day}T10:00:00.000Z`,
  }));
});

const io = captureIo;

const deps = (extra: Record<string, unknown> = {}) => ({
  env: { GENESYS_CLIENT_ID: fake.clientId, GENESYS_CLIENT_SECRET: fake.clientSecret },
  sleep: async () => undefined,
  pollMs: 0,
  ...extra,
});
const run = (args: string[], d = deps()) => {
  const o = io();
  return runCommand(
    EXPORT_SPEC,
    (values, cliIo) => main(values, cliIo, d),
    [...args, '--base-url', fake.baseUrl],
    o.io,
  ).then((code) => ({ code, ...o.text }));
};

test('a four-day range becomes four jobs, never more than two pending or processing at once, all exported', async () => {
  let peak = 0;
  const sleep = async () => {
    peak = Math.max(
      peak,
      [...fake.state.jobs.values()].filter((j) => j.state === 'PENDING' || j.state === 'PROCESSING').length,
    );
  };
  const result = await run(['--env', 'sample', '--from', '2026-03-01', '--to', '2026-03-04'], deps({ sleep }));
  expect(result.code).toBe(0);
  expect(fake.state.jobs.size).toBe(4);
  expect(peak).toBeLessThanOrEqual(2);
  expect([...fake.state.jobs.values()].map((j) => j.recordingJobsQuery.conversationQuery?.interval).sort()).toEqual([
    '2026-03-01T00:00:00.000Z/2026-03-02T00:00:00.000Z',
    '2026-03-02T00:00:00.000Z/2026-03-03T00:00:00.000Z',
    '2026-03-03T00:00:00.000Z/2026-03-04T00:00:00.000Z',
    '2026-03-04T00:00:00.000Z/2026-03-05T00:00:00.000Z',
  ]);
  expect(
    [...fake.state.jobs.values()].every(
      (j) => j.state === 'FULFILLED' && j.recordingJobsQuery.integrationId === INTEGRATION,
    ),
  ).toBe(true);
  expect(fake.state.recordings.every((r) => r.exportedDate !== undefined)).toBe(true);
  expect(result.out).toContain('2026-03-04  created');
  expect(result.err).toContain('4 day(s): 0 recording(s) failed, 0 job(s) failed or cancelled');
  expect(result.out + result.err).not.toContain(fake.clientSecret);
});

test('failed recordings are printed and the exit code is 1', async () => {
  fake.state.failingRecordingIds.add('r-1');
  const result = await run(['--env', 'sample', '--from', '2026-03-01', '--to', '2026-03-02']);
  expect(result.code).toBe(1);
  expect(result.out).toContain('  failed: conversation c-1 recording r-1\n');
  expect(result.err).toContain('2 day(s): 1 recording(s) failed, 0 job(s) failed or cancelled');
});

test('an interrupted run is resumed: its own unfinished jobs are carried on, no day gets a second job', async () => {
  let polls = 0;
  const interrupt = async () => {
    if (++polls === 2) throw new Error('interrupted');
  };
  const first = await run(
    ['--env', 'sample', '--from', '2026-03-01', '--to', '2026-03-03'],
    deps({ sleep: interrupt }),
  );
  expect(first.code).toBe(1);
  const createdFirst = fake.state.jobs.size;
  expect(createdFirst).toBe(2);
  const second = await run(['--env', 'sample', '--from', '2026-03-01', '--to', '2026-03-03']);
  expect(second.code).toBe(0);
  expect(second.err).toContain('resuming 2 unfinished job(s) of this client');
  expect(fake.state.jobs.size).toBe(3);
  expect(second.out).toMatch(/2026-03-01 {2}resumed/);
  expect(second.out).toMatch(/2026-03-03 {2}created/);
});

test('--dry-run writes nothing', async () => {
  const result = await run(['--env', 'sample', '--from', '2026-03-01', '--to', '2026-03-02', '--dry-run']);
  expect(result.code).toBe(0);
  expect(fake.state.jobs.size).toBe(0);
  expect(fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token')).toEqual([]);
  expect(result.out).toContain('2026-03-01  would-create');
  expect(result.err).toContain('dry run: 2 job(s) would be created, 0 resumed; nothing was written');
});

test('--help exits 0 and a reversed range is a usage error', async () => {
  expect((await run(['--help'])).code).toBe(0);
  const reversed = await run(['--env', 'sample', '--from', '2026-03-02', '--to', '2026-03-01']);
  expect(reversed.code).toBe(2);
  expect(reversed.err).toContain('error: --to 2026-03-01 is before --from 2026-03-02; give the earlier day first.');
});
