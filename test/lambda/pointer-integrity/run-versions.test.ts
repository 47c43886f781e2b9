import {
  genesysConversationPrefix,
  genesysRootPrefix,
  partitionPlan,
} from '../../../lambda/pointer-integrity/partitions';
import { ArchiveReader, CheckSettings, RunState, newRun, runInvocation } from '../../../lambda/pointer-integrity/run';
import { ExpirationRule } from '../../../lambda/pointer-integrity/reconcile';
import { MemoryArchive } from '../../support/memory-archive';

// Over-retention in the weekly run: every version of a measured copy is listed and compared with
// the copy's configured rules at the run's start (lambda/pointer-integrity/over-retention.ts).
const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const START = new Date('2026-11-22T03:00:00Z');
const daysBefore = (days: number) => new Date(START.getTime() - days * 86_400_000);
const WINDOW = { id: 'archive-window', prefix: 'recordings/', tags: {}, days: 30 };
const enc = { sse: 'aws:kms', kmsKeyId: KEY_ARN };

const settings = (over: Partial<CheckSettings> = {}): CheckSettings => ({
  archiveKeyArn: KEY_ARN,
  platformRetentionDays: 20,
  expirationRules: [WINDOW],
  lookbackDays: 1,
  retentionTagKey: 'retention',
  retentionClasses: ['short', 'long'],
  conversationPrefix: (at, id) => genesysConversationPrefix('recordings/', LAYOUT, 'org', at, id),
  archiveBucket: 'archive',
  concurrency: 4,
  safetyMs: 0,
  examplesPerType: 100,
  retention: { archive: { copy: 'archive', rules: [WINDOW], noncurrentDays: 5 } },
  ...over,
});

/** Routes each bucket to its own in-memory bucket. */
function buckets(byName: Record<string, MemoryArchive>): ArchiveReader {
  const of = (bucket: string) => byName[bucket];
  return {
    listPage: (b, p, t) => of(b).listPage(b, p, t),
    listVersions: (b, p, t) => of(b).listVersions(b, p, t),
    encryption: (b, k) => of(b).encryption(b, k),
    tags: (b, k) => of(b).tags(b, k),
  };
}

const folder = (day: Date, id: string) => `${genesysConversationPrefix('recordings/', LAYOUT, 'org', day, id)}`;

/** A recording and its sidecar written `age` days before the run. */
function pair(archive: MemoryArchive, age: number, id: string): string {
  const at = daysBefore(age);
  archive.put(`${folder(at, id)}${id}.opus`, { lastModified: at, ...enc });
  archive.put(`${folder(at, id)}${id}_metadata.json`, { lastModified: at, ...enc });
  return `${folder(at, id)}${id}.opus`;
}

const lines = (result: { findings: { examples: { type: string; key: string }[] } }, types: string[]) =>
  result.findings.examples.filter((f) => types.includes(f.type)).map((f) => `${f.type} ${f.key.split('/').pop()}`);

test('a current version past its day, noncurrent versions past their days and a deleted key are found; versions within their day are not', async () => {
  const archive = new MemoryArchive();
  // Inside the 10-day horizon: within the window, but one overwritten 9 days ago and one deleted 8 days ago.
  pair(archive, 3, 'fresh');
  const rewritten = pair(archive, 9, 'rewritten');
  archive.putVersion(rewritten, { lastModified: daysBefore(20) });
  const deleted = `${folder(daysBefore(9), 'deleted')}deleted.opus`;
  archive.putVersion(deleted, { lastModified: daysBefore(9) });
  archive.putVersion(deleted, { lastModified: daysBefore(8), deleteMarker: true });
  // Older than the horizon (the partition before the day partitions): kept past the 30-day window, and one
  // expired 31 days ago whose noncurrent version is still within its 5 days + 2 of grace.
  const kept = pair(archive, 40, 'kept');
  const lapsed = `${folder(daysBefore(36), 'lapsed')}lapsed.opus`;
  archive.putVersion(lapsed, { lastModified: daysBefore(36) });
  archive.putVersion(lapsed, { lastModified: daysBefore(5), deleteMarker: true });
  const plan = partitionPlan({
    startedAt: START,
    horizonDays: 10,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
    overRetention: true,
  });
  expect(plan[0]).toEqual({
    source: 'genesys',
    bucket: 'archive',
    prefix: 'recordings/org/',
    before: plan[1].prefix,
  });
  const result = await runInvocation({
    state: newRun(START),
    plan,
    reader: archive,
    settings: settings(),
    remainingMs: () => 1e9,
  });
  expect(result.done).toBe(true);
  expect(lines(result, ['RetainedPastDay', 'NoncurrentPastDay'])).toEqual([
    'NoncurrentPastDay deleted.opus',
    'NoncurrentPastDay rewritten.opus',
    'RetainedPastDay kept.opus',
    'RetainedPastDay kept_metadata.json',
  ]);
  const detail = result.findings.examples.find((f) => f.key === kept)!.detail;
  expect(detail).toBe(
    'The current version (archive s3 version current) was due to expire on 2026-11-13 by rule archive-window and is still there more than 2 days later.',
  );
  // Deleted keys are no pointers: their missing sidecars are no findings.
  expect(result.findings.total).toBe(4);
  expect(result.stats.pointers).toBe(6);
  expect(archive.listCalls.every((c) => c.startsWith('versions '))).toBe(true);
  // Genesys exports carry no retention tag: none is read.
  expect(archive.tagCalls).toBe(0);
});

test('Connect recordings are measured by their class: tags are read only where a class rule could already be due', async () => {
  const connect = new MemoryArchive();
  const prefix = 'c/CallRecordings/';
  const day = (age: number) => {
    const at = daysBefore(age);
    return `${prefix}${at.toISOString().slice(0, 10).replaceAll('-', '/')}/`;
  };
  const put = (age: number, name: string, tags: Record<string, string>) =>
    connect.put(`${day(age)}${name}`, { lastModified: daysBefore(age), tags });
  put(20, 'short-past.wav', { retention: 'short' });
  put(20, 'long-within.wav', { retention: 'long' });
  put(20, 'untagged-within.wav', {});
  put(100, 'untagged-past.wav', {});
  put(5, 'young.wav', { retention: 'short' });
  const rules: ExpirationRule[] = [
    { id: 'retention-class-short', prefix, tags: { retention: 'short' }, days: 10 },
    { id: 'retention-class-long', prefix, tags: { retention: 'long' }, days: 90 },
    { id: 'untagged-fallback', prefix, tags: {}, days: 90 },
  ];
  const plan = partitionPlan({
    startedAt: START,
    horizonDays: 0,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
    connect: { bucket: 'connect', prefix, days: 30 },
    overRetention: true,
  });
  const result = await runInvocation({
    state: newRun(START),
    plan,
    reader: buckets({ archive: new MemoryArchive(), connect }),
    settings: settings({
      retention: {
        archive: { copy: 'archive', rules: [WINDOW], noncurrentDays: 5 },
        connect: { copy: 'connect-bucket', rules, noncurrentDays: 1 },
      },
    }),
    remainingMs: () => 1e9,
  });
  expect(lines(result, ['RetainedPastDay', 'NoncurrentPastDay'])).toEqual([
    // Key order: the 100-day-old one's day folder comes first.
    'RetainedPastDay untagged-past.wav',
    'RetainedPastDay short-past.wav',
  ]);
  expect(result.findings.examples.find((f) => f.key.endsWith('short-past.wav'))!.detail).toContain(
    '(connect-bucket s3 version current) was due to expire on 2026-11-13 by rule retention-class-short',
  );
  // Read: the three 20-day-old ones (the 10-day class could be due). Not read: the 5-day-old one (no class
  // due yet, older than the 1-day lookback) and the 100-day-old one (the untagged fallback is past due anyway).
  expect([...connect.tagsByKey.keys()].map((k) => k.split('/').pop()).sort()).toEqual([
    'long-within.wav',
    'short-past.wav',
    'untagged-within.wav',
  ]);
});

test('the replica is listed for over-retention only, in its own bucket', async () => {
  const archive = new MemoryArchive();
  const replica = new MemoryArchive();
  pair(archive, 3, 'a');
  // The replica has the pair, a sidecar without its recording (replication lag, no finding here) and a version
  // its lifecycle should have expired.
  pair(replica, 3, 'a');
  replica.put(`${folder(daysBefore(3), 'b')}b_metadata.json`, { lastModified: daysBefore(3) });
  const stale = pair(replica, 45, 'stale');
  const plan = partitionPlan({
    startedAt: START,
    horizonDays: 5,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
    overRetention: true,
    retentionOnly: [{ layout: 'genesys', bucket: 'replica', days: 5 }],
  });
  expect(plan.filter((p) => p.bucket === 'replica').every((p) => p.retentionOnly)).toBe(true);
  const result = await runInvocation({
    state: newRun(START),
    plan,
    reader: buckets({ archive, replica }),
    settings: settings({
      retention: {
        archive: { copy: 'archive', rules: [WINDOW], noncurrentDays: 5 },
        replica: { copy: 'replica', rules: [WINDOW], noncurrentDays: 5 },
      },
    }),
    remainingMs: () => 1e9,
  });
  expect(result.findings.examples.map((f) => `${f.type} ${f.key.split('/').pop()}`)).toEqual([
    'RetainedPastDay stale.opus',
    'RetainedPastDay stale_metadata.json',
  ]);
  expect(result.findings.examples[0].key).toBe(stale);
  expect(result.findings.examples[0].detail).toContain('(replica s3 version current)');
  expect(replica.headCalls).toBe(0);
  expect(result.stats.pointers).toBe(2);
});

test('versions of one key across pages, and a run paused between them, are measured once', async () => {
  const archive = new MemoryArchive({ pageSize: 2 });
  // Keys with 1-4 versions, so page boundaries fall inside keys.
  const expected: string[] = [];
  for (let i = 0; i < 12; i++) {
    const key = pair(archive, 9, `k${String(i).padStart(2, '0')}`);
    for (let v = 0; v < i % 4; v++) archive.putVersion(key, { lastModified: daysBefore(20 + v) });
    if (i % 4 > 0) expected.push(`NoncurrentPastDay k${String(i).padStart(2, '0')}.opus x${i % 4}`);
  }
  const plan = partitionPlan({
    startedAt: START,
    horizonDays: 10,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
    overRetention: true,
  });
  // Each S3 call costs one unit; an invocation has 6 and stops starting work under 2.
  let state: RunState = newRun(START);
  let invocations = 0;
  const all: { type: string; key: string }[] = [];
  for (; invocations < 60; invocations++) {
    const budget = { left: 6 };
    const reader: ArchiveReader = {
      listPage: (b, p, t) => ((budget.left -= 1), archive.listPage(b, p, t)),
      listVersions: (b, p, t) => ((budget.left -= 1), archive.listVersions(b, p, t)),
      encryption: (b, k) => ((budget.left -= 1), archive.encryption(b, k)),
      tags: (b, k) => archive.tags(b, k),
    };
    const result = await runInvocation({
      state,
      plan,
      reader,
      settings: settings({ safetyMs: 2, concurrency: 1 }),
      remainingMs: () => budget.left,
    });
    all.push(...result.findings.examples);
    state = result.state;
    if (result.done) break;
  }
  expect(invocations).toBeGreaterThan(3);
  const counted = new Map<string, number>();
  for (const f of all.filter((x) => x.type === 'NoncurrentPastDay')) {
    const name = `${f.type} ${f.key.split('/').pop()}`;
    counted.set(name, (counted.get(name) ?? 0) + 1);
  }
  expect([...counted.entries()].map(([k, n]) => `${k} x${n}`).sort()).toEqual(expected.sort());
  expect(state.counts.NoncurrentPastDay).toBe(expected.reduce((n, e) => n + Number(e.slice(-1)), 0));
  expect(state.counts.RecordingWithoutSidecar + state.counts.SidecarWithoutRecording).toBe(0);
});

test('the partition before the day partitions exists only where keys sort by date', () => {
  expect(genesysRootPrefix('recordings/', LAYOUT, 'org')).toBe('recordings/org/');
  expect(genesysRootPrefix('recordings/', '{orgId}/exports/{yyyy}/{mm}/{dd}/{conversationId}/', 'org')).toBe(
    'recordings/org/exports/',
  );
  // Day before month, or the conversation before the date: no date order, so nothing older is listed.
  expect(genesysRootPrefix('recordings/', '{orgId}/{dd}/{mm}/{yyyy}/{conversationId}/', 'org')).toBeUndefined();
  expect(genesysRootPrefix('recordings/', '{orgId}/{conversationId}/{yyyy}/{mm}/{dd}/', 'org')).toBeUndefined();
  const input = {
    startedAt: START,
    horizonDays: 2,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
  };
  expect(partitionPlan(input).some((p) => p.before !== undefined)).toBe(false);
  expect(partitionPlan({ ...input, overRetention: true }).filter((p) => p.before !== undefined)).toHaveLength(1);
});
