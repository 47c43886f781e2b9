import { genesysExportSource } from '../../../lambda/pointer-integrity/genesys-source';
import { genesysConversationPrefix } from '../../../lambda/pointer-integrity/partitions';
import { newRun, runInvocation } from '../../../lambda/pointer-integrity/run';
import { GenesysClient } from '../../../lambda/shared/genesys/client';
import { FakeGenesys } from '../../support/fake-genesys';
import { MemoryArchive } from '../../support/memory-archive';

const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const START = new Date('2026-11-22T03:00:00Z');
const WINDOW = { since: new Date('2026-11-15T03:00:00Z'), until: START };

let fake: FakeGenesys;
const waits: number[] = [];

/**
 * 150 conversations; each has one exported recording, except every tenth (not exported) and every
 * 25th (exported before the window). Every fourth is a call (a voice session in a queue), every
 * 20th from the tenth a chat, the rest carry no participants: with the default policy (calls), the
 * not-exported recordings of calls (every 20th) are covered, those of chats and of conversations
 * without session data are not.
 */
const participantsOf = (i: number) =>
  i % 4 === 0
    ? {
        originatingDirection: 'inbound',
        participants: [
          {
            purpose: 'customer',
            sessions: [{ mediaType: 'voice', segments: [{ segmentType: 'interact', queueId: 'q-1' }] }],
          },
        ],
      }
    : i % 20 === 10
      ? { originatingDirection: 'inbound', participants: [{ purpose: 'customer', sessions: [{ mediaType: 'chat' }] }] }
      : {};
const conversations = Array.from({ length: 150 }, (_, i) => ({
  conversationId: `conv-${String(i).padStart(3, '0')}`,
  conversationStart: new Date(Date.parse('2026-11-16T00:00:00Z') + i * 3_600_000).toISOString(),
  ...participantsOf(i),
}));
/** Covered recordings without exportedDate past the 24-hour grace: every 20th, except rec-140, which started 23 hours before the run. */
const notExported = [0, 20, 40, 60, 80, 100, 120].map((i) => `conv-${String(i).padStart(3, '0')}/rec-${i}`);
const metadataOf = (i: number) => [
  {
    id: `rec-${i}`,
    conversationId: conversations[i].conversationId,
    fileState: 'AVAILABLE',
    archiveDate: null,
    deleteDate: '2028-11-16T00:00:00Z',
    exportedDate: i % 10 === 0 ? undefined : i % 25 === 1 ? '2026-11-01T00:00:00Z' : '2026-11-20T10:00:00Z',
    ...(i === 140 ? { startTime: '2026-11-21T04:00:00Z' } : i % 2 === 0 ? { startTime: '2026-11-16T05:30:00Z' } : {}),
  },
];

beforeAll(async () => {
  fake = await FakeGenesys.start();
  fake.route('POST', '/api/v2/analytics/conversations/details/query', (r) => {
    const body = r.body as { interval: string; paging: { pageSize: number; pageNumber: number } };
    const { pageSize, pageNumber } = body.paging;
    return {
      status: 200,
      body: {
        conversations: conversations.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
        totalHits: conversations.length,
      },
    };
  });
  fake.route('GET', '/api/v2/conversations/:id/recordingmetadata', (r) => {
    const i = conversations.findIndex((c) => c.conversationId === r.params.id);
    return i === -1
      ? { status: 404, body: { code: 'not.found', message: 'conversation not found' } }
      : { status: 200, body: metadataOf(i) };
  });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.requests.length = 0;
  waits.length = 0;
});

const client = () =>
  new GenesysClient({
    loginBaseUrl: fake.baseUrl,
    apiBaseUrl: fake.baseUrl,
    credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
    // Waits are recorded, not slept, so Retry-After can be asserted without a slow test.
    sleep: async (ms) => {
      waits.push(ms);
    },
  });

test('pages through the window, keeps recordings exported in it, and honors Retry-After on 429s', async () => {
  const tooMany = {
    status: 429,
    headers: { 'retry-after': '3' },
    body: { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' },
  };
  fake.inject({ method: 'POST', path: '/api/v2/analytics/conversations/details/query', times: 1, response: tooMany });
  fake.inject({ method: 'GET', path: '/api/v2/conversations/:id/recordingmetadata', times: 2, response: tooMany });
  const source = genesysExportSource(client());

  const first = await source.page(WINDOW);
  expect(first.nextCursor).toBe('2');
  const second = await source.page(WINDOW, first.nextCursor);
  expect(second.nextCursor).toBeUndefined();

  const all = [...first.recordings, ...second.recordings];
  const expected = conversations.map((_, i) => i).filter((i) => i % 10 !== 0 && i % 25 !== 1);
  expect(all.map((r) => r.recordingId)).toEqual(expected.map((i) => `rec-${i}`));
  // The recording's own start time when Genesys gives one, else the conversation's.
  expect(all.find((r) => r.recordingId === 'rec-2')?.startTime).toEqual(new Date('2026-11-16T05:30:00Z'));
  expect(all.find((r) => r.recordingId === 'rec-3')?.startTime).toEqual(new Date(conversations[3].conversationStart));

  // Three 429s, each retried after the 3 s Genesys asked for.
  expect(waits).toEqual([3000, 3000, 3000]);
  const queries = fake.received('POST', '/api/v2/analytics/conversations/details/query');
  expect(queries).toHaveLength(3);
  expect(queries[0].body).toEqual({
    interval: '2026-11-15T03:00:00.000Z/2026-11-22T03:00:00.000Z',
    order: 'asc',
    orderBy: 'conversationStart',
    paging: { pageSize: 100, pageNumber: 1 },
  });
  expect(fake.received('GET', '/api/v2/conversations/:id/recordingmetadata')).toHaveLength(150 + 2);
});

test('end to end: exported recordings missing from the archive are findings, found ones are not', async () => {
  const archive = new MemoryArchive();
  const prefix = (at: Date, id: string) => genesysConversationPrefix('recordings/', LAYOUT, 'org', at, id);
  // Everything exported is in the archive under its start-time folder, except rec-3 and rec-7.
  for (let i = 0; i < conversations.length; i++) {
    if (i === 3 || i === 7) continue;
    const start = i % 2 === 0 ? new Date('2026-11-16T05:30:00Z') : new Date(conversations[i].conversationStart);
    archive.put(`${prefix(start, conversations[i].conversationId)}rec-${i}.opus`);
  }
  let state = newRun(START);
  for (let guard = 0; guard < 5; guard++) {
    const result = await runInvocation({
      state,
      plan: [],
      reader: archive,
      source: genesysExportSource(client()),
      settings: {
        archiveKeyArn: 'arn:aws:kms:us-east-1:1:key/k',
        platformRetentionDays: 730,
        expirationRules: [],
        lookbackDays: 7,
        retentionTagKey: 'retention',
        retentionClasses: ['short'],
        conversationPrefix: prefix,
        archiveBucket: 'archive',
        concurrency: 4,
        safetyMs: 0,
        examplesPerType: 10,
      },
      remainingMs: () => 1e9,
    });
    state = result.state;
    if (result.done) {
      expect(result.findings.examples.filter((f) => f.type === 'ExportedRecordingMissing').map((f) => f.key)).toEqual([
        `${prefix(new Date(conversations[3].conversationStart), 'conv-003')}rec-3`,
        `${prefix(new Date(conversations[7].conversationStart), 'conv-007')}rec-7`,
      ]);
      // Covered calls past the grace without exportedDate; not rec-140 (23 hours), not chats, not conversations without session data, not exported calls.
      expect(result.findings.examples.filter((f) => f.type === 'NotExported').map((f) => f.key)).toEqual(notExported);
      expect(result.findings.examples.map((f) => f.type).sort()).toEqual([
        ...Array(2).fill('ExportedRecordingMissing'),
        ...Array(7).fill('NotExported'),
      ]);
      break;
    }
  }
  expect(state.genesysDone).toBe(true);
  expect(state.counts.ExportedRecordingMissing).toBe(2);
  expect(state.counts.NotExported).toBe(7);
});

describe('a page that outlasts the time left', () => {
  const metadataCalls = () => fake.received('GET', '/api/v2/conversations/:id/recordingmetadata').length;
  const expected = conversations
    .map((_, i) => i)
    .filter((i) => i % 10 !== 0 && i % 25 !== 1)
    .map((i) => `rec-${i}`);

  test('stops between conversations when time is short and resumes at the next conversation', async () => {
    const source = genesysExportSource(client());
    // Time for 30 conversations of the first page.
    const first = await source.page(WINDOW, undefined, { timeLeft: () => metadataCalls() < 30 });
    expect(metadataCalls()).toBe(30);
    expect(first.nextCursor).toBe('1:30');
    const rest = await source.page(WINDOW, first.nextCursor, { timeLeft: () => true });
    expect(rest.nextCursor).toBe('2');
    const last = await source.page(WINDOW, rest.nextCursor);
    expect(last.nextCursor).toBeUndefined();
    expect([...first.recordings, ...rest.recordings, ...last.recordings].map((r) => r.recordingId)).toEqual(expected);
    // Every conversation's metadata read exactly once.
    const ids = fake.received('GET', '/api/v2/conversations/:id/recordingmetadata').map((r) => r.path);
    expect(new Set(ids).size).toBe(150);
    expect(ids).toHaveLength(150);
  });

  test('a call cut off by the client total budget ends the page at that conversation, and the next invocation reads it', async () => {
    const budgetMs = 1000;
    const created = Date.now();
    const limited = new GenesysClient({
      loginBaseUrl: fake.baseUrl,
      apiBaseUrl: fake.baseUrl,
      credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
      retry: { totalBudgetMs: budgetMs },
    });
    // The fifth conversation's metadata answers after the budget is spent.
    const slow = conversations[4].conversationId;
    fake.inject({ method: 'GET', path: `/api/v2/conversations/${slow}/recordingmetadata`, times: 1, delayMs: 3000 });
    const first = await genesysExportSource(limited).page(WINDOW, undefined, {
      timeLeft: () => Date.now() - created < budgetMs,
    });
    expect(Date.now() - created).toBeLessThan(budgetMs + 1000);
    expect(first.nextCursor).toBe('1:4');
    expect(first.recordings.map((r) => r.recordingId)).toEqual(['rec-2', 'rec-3']);
    const resumed = await genesysExportSource(client()).page(WINDOW, first.nextCursor, { timeLeft: () => true });
    expect(resumed.recordings[0].recordingId).toBe('rec-4');
  });

  test('an error with time left still fails the page', async () => {
    fake.inject({
      method: 'GET',
      path: '/api/v2/conversations/:id/recordingmetadata',
      times: 1,
      response: { status: 403, body: { code: 'missing.permissions', message: 'no' } },
    });
    await expect(genesysExportSource(client()).page(WINDOW, undefined, { timeLeft: () => true })).rejects.toThrow(
      '403',
    );
  });
});

test('a run pauses inside a Genesys page and its next invocation checks the rest, each recording once', async () => {
  const archive = new MemoryArchive();
  const prefix = (at: Date, id: string) => genesysConversationPrefix('recordings/', LAYOUT, 'org', at, id);
  let state = { ...newRun(START), nextPartition: 0 };
  const checked: number[] = [];
  for (let guard = 0; guard < 10; guard++) {
    // Each invocation has time for 40 conversations.
    const before = fake.received('GET', '/api/v2/conversations/:id/recordingmetadata').length;
    const result = await runInvocation({
      state,
      plan: [],
      reader: archive,
      source: genesysExportSource(client()),
      settings: {
        archiveKeyArn: 'arn:aws:kms:us-east-1:1:key/k',
        platformRetentionDays: 730,
        expirationRules: [],
        lookbackDays: 7,
        retentionTagKey: 'retention',
        retentionClasses: ['short'],
        conversationPrefix: prefix,
        archiveBucket: 'archive',
        concurrency: 4,
        safetyMs: 0,
        examplesPerType: 1000,
      },
      remainingMs: () => 40 - (fake.received('GET', '/api/v2/conversations/:id/recordingmetadata').length - before),
    });
    checked.push(result.stats.exportedChecked);
    state = result.state;
    if (result.done) break;
  }
  expect(checked.length).toBeGreaterThan(3);
  // Nothing is in the archive, so every recording exported in the window is a finding, once.
  expect(state.counts.ExportedRecordingMissing).toBe(
    conversations.filter((_, i) => i % 10 !== 0 && i % 25 !== 1).length,
  );
  // Each covered recording past the grace without exportedDate counted once across the pauses.
  expect(state.counts.NotExported).toBe(notExported.length);
  expect(fake.received('GET', '/api/v2/conversations/:id/recordingmetadata')).toHaveLength(150);
});

test('the policy given to the source decides which unexported recordings are returned', async () => {
  const page = async (coverage: Parameters<typeof genesysExportSource>[1]) => {
    const source = genesysExportSource(client(), coverage);
    const first = await source.page(WINDOW);
    const second = await source.page(WINDOW, first.nextCursor);
    return [...(first.unexported ?? []), ...(second.unexported ?? [])].map((r) => r.recordingId);
  };
  const calls = [0, 20, 40, 60, 80, 100, 120, 140].map((i) => `rec-${i}`);
  const chats = [10, 30, 50, 70, 90, 110, 130].map((i) => `rec-${i}`);
  expect(await page(undefined)).toEqual(calls);
  expect(await page({ mediaTypes: ['call', 'chat'], queueIds: [], directions: [], wrapupCodeIds: [] })).toEqual(
    [...calls, ...chats].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))),
  );
  expect(await page({ mediaTypes: ['call'], queueIds: ['q-other'], directions: [], wrapupCodeIds: [] })).toEqual([]);
  // The chats have no queue segment: a queue condition cannot be evaluated on them, so they are not covered.
  expect(
    await page({ mediaTypes: ['call', 'chat'], queueIds: ['q-1'], directions: ['INBOUND'], wrapupCodeIds: [] }),
  ).toEqual(calls);
});
