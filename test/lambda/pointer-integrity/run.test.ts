import { genesysConversationPrefix, partitionPlan } from '../../../lambda/pointer-integrity/partitions';
import {
  CheckSettings,
  ExportedRecording,
  ExportedRecordingSource,
  RunState,
  newRun,
  runInvocation,
} from '../../../lambda/pointer-integrity/run';
import { MemoryArchive } from '../../support/memory-archive';

const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const START = new Date('2026-11-22T03:00:00Z');
const OLD = new Date('2026-01-01T00:00:00Z');

const settings = (over: Partial<CheckSettings> = {}): CheckSettings => ({
  archiveKeyArn: KEY_ARN,
  platformRetentionDays: 730,
  expirationRules: [{ id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 }],
  lookbackDays: 7,
  retentionTagKey: 'retention',
  retentionClasses: ['short', 'long'],
  conversationPrefix: (at, id) => genesysConversationPrefix('recordings/', LAYOUT, 'org', at, id),
  archiveBucket: 'archive',
  concurrency: 4,
  safetyMs: 0,
  examplesPerType: 100,
  ...over,
});

const plan = (horizonDays: number) =>
  partitionPlan({
    startedAt: START,
    horizonDays,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
  });

/** Seeds `pairs` good recording+sidecar pairs in every partition of the plan. */
function seed(archive: MemoryArchive, prefixes: string[], pairs: number): void {
  for (const prefix of prefixes) {
    for (let i = 0; i < pairs; i++) {
      const folder = `${prefix}hour=10/conversation_id=c${i}/`;
      archive.put(`${folder}r${i}.opus`, { lastModified: OLD, sse: 'aws:kms', kmsKeyId: KEY_ARN });
      archive.put(`${folder}r${i}_metadata.json`, { lastModified: OLD, sse: 'aws:kms', kmsKeyId: KEY_ARN });
    }
  }
}

test('a run cut by the time limit resumes where it stopped: every partition listed exactly once', async () => {
  const partitions = plan(60);
  const archive = new MemoryArchive({ pageSize: 3 });
  seed(
    archive,
    partitions.map((p) => p.prefix),
    4,
  );
  // Each S3 call costs one unit of "time"; an invocation has 40 units and stops starting partitions under 10.
  let state: RunState = newRun(START);
  const invocations: number[] = [];
  for (let guard = 0; guard < 50; guard++) {
    const budget = { left: 40 };
    const reader = {
      listPage: (b: string, p: string, t?: string) => ((budget.left -= 1), archive.listPage(b, p, t)),
      listVersions: (b: string, p: string, t?: string) => ((budget.left -= 1), archive.listVersions(b, p, t)),
      encryption: (b: string, k: string) => ((budget.left -= 1), archive.encryption(b, k)),
      tags: (b: string, k: string) => archive.tags(b, k),
    };
    const result = await runInvocation({
      state,
      plan: partitions,
      reader,
      settings: settings({ safetyMs: 10 }),
      remainingMs: () => budget.left,
    });
    invocations.push(result.stats.partitions);
    state = result.state;
    if (result.done) break;
  }
  expect(invocations.length).toBeGreaterThan(3);
  expect(invocations.reduce((a, b) => a + b, 0)).toBe(partitions.length);
  const firstPages = archive.listCalls.filter((c) => c.endsWith('#')).map((c) => c.slice('archive/'.length, -1));
  expect(firstPages.sort()).toEqual(partitions.map((p) => p.prefix).sort());
  expect(state.counts.RecordingWithoutSidecar + state.counts.SidecarWithoutRecording).toBe(0);
});

test('a run with no time left starts nothing and hands on the same state', async () => {
  const partitions = plan(3);
  const archive = new MemoryArchive();
  const state = newRun(START);
  const result = await runInvocation({
    state,
    plan: partitions,
    reader: archive,
    settings: settings({ safetyMs: 1000 }),
    remainingMs: () => 999,
  });
  expect(result.done).toBe(false);
  expect(result.state).toEqual({ ...state, invocation: 2, genesysDone: true });
  expect(archive.listCalls).toEqual([]);
});

test('partitions and their reads run concurrently, never more than the concurrency at once', async () => {
  const partitions = plan(30);
  const archive = new MemoryArchive({ pageSize: 2, delayMs: 2 });
  seed(
    archive,
    partitions.map((p) => p.prefix),
    3,
  );
  const result = await runInvocation({
    state: newRun(START),
    plan: partitions,
    reader: archive,
    settings: settings({ concurrency: 5 }),
    remainingMs: () => 1e9,
  });
  expect(result.done).toBe(true);
  expect(archive.maxInFlight).toBe(5);
  expect(result.stats.pointers).toBe(31 * 6);
  // One spot check per partition: every seeded object is older than the lookback window.
  expect(result.stats.headRequests).toBe(31);
});

test('seeded discrepancies of every S3 kind are found, and recent objects are all read', async () => {
  const partitions = plan(2);
  const today = partitions[2].prefix;
  const archive = new MemoryArchive();
  const recent = new Date('2026-11-21T00:00:00Z');
  const good = { lastModified: recent, sse: 'aws:kms', kmsKeyId: KEY_ARN };
  archive.put(`${today}hour=01/conversation_id=a/ok.opus`, good);
  archive.put(`${today}hour=01/conversation_id=a/ok_metadata.json`, good);
  archive.put(`${today}hour=01/conversation_id=a/lonely.opus`, good);
  archive.put(`${today}hour=02/conversation_id=b/orphan_metadata.json`, good);
  archive.put(`${today}hour=03/conversation_id=c/s3key.opus`, { lastModified: recent, sse: 'AES256' });
  archive.put(`${today}hour=03/conversation_id=c/s3key_metadata.json`, good);
  const rules = [
    { id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 },
    { id: 'too-short', prefix: `${today}hour=01/`, tags: {}, days: 365 },
  ];
  const result = await runInvocation({
    state: newRun(START),
    plan: partitions,
    reader: archive,
    settings: settings({ expirationRules: rules }),
    remainingMs: () => 1e9,
  });
  expect(result.findings.examples.map((f) => `${f.type} ${f.key.slice(today.length)}`)).toEqual([
    'ExpiresBeforePlatformWindow hour=01/conversation_id=a/lonely.opus',
    'ExpiresBeforePlatformWindow hour=01/conversation_id=a/ok.opus',
    'ExpiresBeforePlatformWindow hour=01/conversation_id=a/ok_metadata.json',
    'NotEncryptedWithArchiveKey hour=03/conversation_id=c/s3key.opus',
    'RecordingWithoutSidecar hour=01/conversation_id=a/lonely.opus',
    'SidecarWithoutRecording hour=02/conversation_id=b/orphan_metadata.json',
  ]);
  expect(result.stats.headRequests).toBe(6);
});

test('Connect partitions check the retention tag of every recent recording', async () => {
  const partitions = partitionPlan({
    startedAt: START,
    horizonDays: 0,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
    connect: { bucket: 'connect', prefix: 'c/CallRecordings/', days: 1 },
  });
  const archive = new MemoryArchive();
  const recent = new Date('2026-11-22T01:00:00Z');
  archive.put('c/CallRecordings/2026/11/22/ok.wav', { lastModified: recent, tags: { retention: 'short' } });
  archive.put('c/CallRecordings/2026/11/22/none.wav', { lastModified: recent, tags: { other: 'x' } });
  archive.put('c/CallRecordings/2026/11/21/odd.wav', { lastModified: recent, tags: { retention: 'forever' } });
  archive.put('c/CallRecordings/2026/11/21/old.wav', { lastModified: OLD });
  const result = await runInvocation({
    state: newRun(START),
    plan: partitions,
    reader: archive,
    settings: settings(),
    remainingMs: () => 1e9,
  });
  expect(result.findings.examples.map((f) => `${f.type} ${f.key}`)).toEqual([
    'MissingRetentionTag c/CallRecordings/2026/11/22/none.wav',
    'UnknownRetentionClass c/CallRecordings/2026/11/21/odd.wav',
  ]);
  expect(archive.tagCalls).toBe(3);
});

describe('Genesys exports', () => {
  const exported = (
    conversationId: string,
    recordingId: string,
    exportedDate: string,
    startTime?: string,
  ): ExportedRecording => ({
    conversationId,
    recordingId,
    exportedDate: new Date(exportedDate),
    startTime: startTime ? new Date(startTime) : undefined,
  });
  const pages: ExportedRecording[][] = [
    [
      exported('c1', 'r1', '2026-11-20T05:00:00Z', '2026-11-20T04:10:00Z'),
      exported('c2', 'r2', '2026-11-21T06:30:00Z', '2026-11-19T23:50:00Z'),
    ],
    [exported('c3', 'r3', '2026-11-21T07:00:00Z')],
  ];
  const source: ExportedRecordingSource & { windows: { since: Date; until: Date }[] } = {
    windows: [],
    async page(window, cursor) {
      this.windows.push(window);
      const index = cursor ? Number(cursor) : 0;
      return { recordings: pages[index], nextCursor: index + 1 < pages.length ? String(index + 1) : undefined };
    },
  };

  test('are looked up in the folder of their start time or of their export time; a missing one is a finding', async () => {
    const archive = new MemoryArchive();
    archive.put('recordings/org/year=2026/month=11/day=20/hour=04/conversation_id=c1/r1.opus');
    archive.put('recordings/org/year=2026/month=11/day=21/hour=06/conversation_id=c2/r2.opus');
    // r3 has only its sidecar in the archive.
    archive.put('recordings/org/year=2026/month=11/day=21/hour=07/conversation_id=c3/r3_metadata.json');
    let state: RunState = { ...newRun(START), nextPartition: 0 };
    const calls: number[] = [];
    // The first invocation has time for one Genesys page only.
    let budget = 1;
    for (let i = 0; i < 5; i++) {
      const result = await runInvocation({
        state,
        plan: [],
        reader: archive,
        source,
        settings: settings(),
        remainingMs: () => (budget-- > 0 ? 1 : 0),
      });
      calls.push(result.stats.exportedChecked);
      state = result.state;
      budget = 1;
      if (result.done) break;
    }
    expect(calls).toEqual([2, 1]);
    expect(source.windows[0]).toEqual({ since: new Date('2026-11-15T03:00:00.000Z'), until: START });
    expect(state.counts.ExportedRecordingMissing).toBe(1);
    expect(state.genesysDone).toBe(true);
  });
});

test('a concurrency that is not a positive integer is refused in one sentence', async () => {
  await expect(
    runInvocation({
      state: newRun(START),
      plan: [],
      reader: new MemoryArchive(),
      settings: settings({ concurrency: 0 }),
      remainingMs: () => 1,
    }),
  ).rejects.toThrow('Concurrency must be a positive integer, not 0.');
});

describe('a partition too large for one invocation', () => {
  const RECENT = new Date('2026-11-21T12:00:00Z');
  const BUDGET_MS = 60_000;
  const SAFETY_MS = 10_000;

  /** One Genesys day of 120 recent pairs with discrepancies spread over it, and one Connect day of 40 recent recordings. */
  function slowArchive(): { archive: MemoryArchive; partitions: ReturnType<typeof partitionPlan> } {
    const partitions = partitionPlan({
      startedAt: START,
      horizonDays: 0,
      archiveBucket: 'archive',
      recordingsPrefix: 'recordings/',
      keyLayout: LAYOUT,
      orgId: 'org',
      connect: { bucket: 'connect', prefix: 'c/CallRecordings/', days: 0 },
    });
    // Every call costs 1 s of a virtual clock: one invocation has time for about 50 calls.
    const archive = new MemoryArchive({ pageSize: 25, costMs: 1000 });
    const day = partitions[0].prefix;
    for (let i = 0; i < 120; i++) {
      const folder = `${day}hour=${String(i % 24).padStart(2, '0')}/conversation_id=c${String(i).padStart(3, '0')}/`;
      const sse = i % 17 === 5 ? { sse: 'AES256' } : { sse: 'aws:kms', kmsKeyId: KEY_ARN };
      if (i % 13 !== 3) archive.put(`${folder}r${i}.opus`, { lastModified: RECENT, ...sse });
      if (i % 11 !== 7)
        archive.put(`${folder}r${i}_metadata.json`, { lastModified: RECENT, sse: 'aws:kms', kmsKeyId: KEY_ARN });
    }
    for (let i = 0; i < 40; i++) {
      const tags: Record<string, string> =
        i % 7 === 0 ? {} : i % 9 === 0 ? { retention: 'forever' } : { retention: 'short' };
      archive.put(`c/CallRecordings/2026/11/22/k${String(i).padStart(2, '0')}.wav`, { lastModified: RECENT, tags });
    }
    return { archive, partitions };
  }

  const rules = [
    { id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 },
    { id: 'too-short', prefix: 'recordings/org/year=2026/month=11/day=22/hour=05/', tags: {}, days: 365 },
  ];

  test('resumes inside the partition across invocations: no overrun, every object read once, every finding counted once', async () => {
    const reference = slowArchive();
    const uninterrupted = await runInvocation({
      state: newRun(START),
      plan: reference.partitions,
      reader: reference.archive,
      settings: settings({ concurrency: 3, expirationRules: rules }),
      remainingMs: () => 1e12,
    });
    expect(uninterrupted.done).toBe(true);
    // The seeded discrepancies, so the comparison below is not vacuous.
    for (const type of [
      'RecordingWithoutSidecar',
      'SidecarWithoutRecording',
      'NotEncryptedWithArchiveKey',
      'MissingRetentionTag',
      'UnknownRetentionClass',
      'ExpiresBeforePlatformWindow',
    ] as const) {
      expect(uninterrupted.state.counts[type]).toBeGreaterThan(0);
    }

    const { archive, partitions } = slowArchive();
    let state: RunState = newRun(START);
    const used: number[] = [];
    const completed: number[] = [];
    for (let guard = 0; guard < 40; guard++) {
      const startedAt = archive.elapsedMs;
      const result = await runInvocation({
        state,
        plan: partitions,
        reader: archive,
        settings: settings({ concurrency: 3, safetyMs: SAFETY_MS, expirationRules: rules }),
        remainingMs: () => BUDGET_MS - (archive.elapsedMs - startedAt),
      });
      used.push(archive.elapsedMs - startedAt);
      completed.push(result.stats.partitions);
      // The state travels as an SNS message.
      state = JSON.parse(JSON.stringify(result.state)) as RunState;
      if (result.done) break;
    }
    // Several invocations for two partitions, and none ran past its time.
    expect(used.length).toBeGreaterThan(4);
    for (const ms of used) expect(ms).toBeLessThanOrEqual(BUDGET_MS);
    expect(completed.reduce((a, b) => a + b, 0)).toBe(partitions.length);
    expect(state.nextPartition).toBe(partitions.length);
    expect(state.partitionsInProgress ?? []).toEqual([]);
    // Every recent object read exactly once, and the run's findings are those of the uninterrupted run.
    expect([...archive.headsByKey.values()].every((n) => n === 1)).toBe(true);
    expect(archive.headsByKey.size).toBe(reference.archive.headsByKey.size);
    expect([...archive.tagsByKey.values()].every((n) => n === 1)).toBe(true);
    expect(archive.tagsByKey.size).toBe(40);
    expect(state.counts).toEqual(uninterrupted.state.counts);
  });

  test('a resumed invocation first finishes the partitions in progress, then starts new ones', async () => {
    const { archive, partitions } = slowArchive();
    const first = await runInvocation({
      state: newRun(START),
      plan: partitions,
      reader: archive,
      settings: settings({ concurrency: 3, safetyMs: SAFETY_MS, expirationRules: rules }),
      remainingMs: () => BUDGET_MS - archive.elapsedMs,
    });
    expect(first.done).toBe(false);
    // Both partitions were started (concurrently); the Genesys day is far from done and has a cursor.
    expect(first.state.nextPartition).toBe(2);
    expect(first.state.partitionsInProgress?.find((c) => c.index === 0)).toBeDefined();
    const second = await runInvocation({
      state: first.state,
      plan: partitions,
      reader: archive,
      settings: settings({ concurrency: 3, safetyMs: SAFETY_MS, expirationRules: rules }),
      remainingMs: () => 1e12,
    });
    expect(second.done).toBe(true);
    // The second invocation re-lists at most the page it paused in: it never starts the partition over.
    const keys = [...archive.objects.keys()].filter((k) => k.startsWith(partitions[0].prefix)).length;
    const lists = archive.listCalls.filter((c) => c.startsWith(`archive/${partitions[0].prefix}#`)).length;
    expect(lists).toBeLessThanOrEqual(Math.ceil(keys / 25) + 1);
  });
});
