import {
  DEFAULT_EXPORT_COVERAGE,
  ExportCoverage,
  conversationFacts,
  coveredByPolicy,
  notExportedFinding,
} from '../../../lambda/pointer-integrity/not-exported';

const NOW = new Date('2026-11-22T03:00:00Z');
const hoursBefore = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const call = (extra: object = {}) => ({
  originatingDirection: 'inbound',
  participants: [{ sessions: [{ mediaType: 'voice', segments: [{ queueId: 'q-sales' }, { wrapUpCode: 'w-done' }] }] }],
  ...extra,
});

test('a recording 25 hours old without exportedDate is NotExported', () => {
  expect(notExportedFinding({ conversationId: 'c1', recordingId: 'r1', startTime: hoursBefore(25) }, NOW, 24)).toEqual({
    type: 'NotExported',
    key: 'c1/r1',
    detail:
      'Recording r1 of conversation c1 started 2026-11-21T02:00:00.000Z, 25 hours before the run, and Genesys reports no exportedDate after the 24-hour grace.',
  });
});

test('a recording 23 hours old, or of unknown age, is not reported yet', () => {
  expect(
    notExportedFinding({ conversationId: 'c1', recordingId: 'r1', startTime: hoursBefore(23) }, NOW, 24),
  ).toBeUndefined();
  expect(
    notExportedFinding({ conversationId: 'c1', recordingId: 'r1', startTime: hoursBefore(24) }, NOW, 24),
  ).toBeUndefined();
  expect(notExportedFinding({ conversationId: 'c1', recordingId: 'r1' }, NOW, 24)).toBeUndefined();
  // The grace is the configured one.
  expect(
    notExportedFinding({ conversationId: 'c1', recordingId: 'r1', startTime: hoursBefore(23) }, NOW, 12)?.type,
  ).toBe('NotExported');
});

test('facts come from session media types, segment queues and wrap-up codes, and the originating direction', () => {
  expect(conversationFacts(call())).toEqual({
    mediaTypes: ['call'],
    queueIds: ['q-sales'],
    direction: 'INBOUND',
    wrapupCodeIds: ['w-done'],
  });
  expect(conversationFacts({})).toEqual({
    mediaTypes: undefined,
    queueIds: undefined,
    direction: undefined,
    wrapupCodeIds: undefined,
  });
  expect(conversationFacts({ originatingDirection: 'mixed' }).direction).toBeUndefined();
});

test('the policy covers a conversation that meets every condition it has', () => {
  const policy: ExportCoverage = {
    mediaTypes: ['call'],
    queueIds: ['q-sales'],
    directions: ['INBOUND'],
    wrapupCodeIds: ['w-done'],
  };
  expect(coveredByPolicy(conversationFacts(call()), policy)).toBe(true);
  expect(coveredByPolicy(conversationFacts(call()), DEFAULT_EXPORT_COVERAGE)).toBe(true);
  // Each condition not met: not covered.
  expect(coveredByPolicy(conversationFacts(call()), { ...policy, mediaTypes: ['chat'] })).toBe(false);
  expect(coveredByPolicy(conversationFacts(call()), { ...policy, queueIds: ['q-support'] })).toBe(false);
  expect(coveredByPolicy(conversationFacts(call()), { ...policy, directions: ['OUTBOUND'] })).toBe(false);
  expect(coveredByPolicy(conversationFacts(call()), { ...policy, wrapupCodeIds: ['w-other'] })).toBe(false);
});

test('a condition the data cannot answer is met only when the policy has no such condition', () => {
  const noQueues = conversationFacts(call({ participants: [{ sessions: [{ mediaType: 'voice' }] }] }));
  expect(coveredByPolicy(noQueues, DEFAULT_EXPORT_COVERAGE)).toBe(true);
  expect(coveredByPolicy(noQueues, { ...DEFAULT_EXPORT_COVERAGE, queueIds: ['q-sales'] })).toBe(false);
  expect(coveredByPolicy(noQueues, { ...DEFAULT_EXPORT_COVERAGE, wrapupCodeIds: ['w-done'] })).toBe(false);
  const noDirection = conversationFacts(call({ originatingDirection: undefined }));
  expect(coveredByPolicy(noDirection, DEFAULT_EXPORT_COVERAGE)).toBe(true);
  expect(coveredByPolicy(noDirection, { ...DEFAULT_EXPORT_COVERAGE, directions: ['INBOUND'] })).toBe(false);
  // Media types are always a condition: no session media type, never covered.
  expect(coveredByPolicy(conversationFacts({}), DEFAULT_EXPORT_COVERAGE)).toBe(false);
});
