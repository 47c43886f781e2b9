import { FindingCollector } from '../../../lambda/pointer-integrity/findings';
import {
  connectDayPrefix,
  daysBack,
  genesysConversationPrefix,
  genesysDayPrefix,
  partitionPlan,
} from '../../../lambda/pointer-integrity/partitions';
import {
  SidecarPairing,
  encryptionFinding,
  expirationFinding,
  parseExportedKey,
  retentionTagFinding,
} from '../../../lambda/pointer-integrity/reconcile';

const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const folder = 'recordings/org/year=2026/month=11/day=20/hour=09/conversation_id=c1/';

describe('parseExportedKey', () => {
  test('reads recordings, sidecars and folder markers', () => {
    expect(parseExportedKey(`${folder}r1.opus`)).toEqual({ role: 'recording', folder, recordingId: 'r1' });
    expect(parseExportedKey(`${folder}r1`)).toEqual({ role: 'recording', folder, recordingId: 'r1' });
    expect(parseExportedKey(`${folder}r1_metadata.json`)).toEqual({ role: 'sidecar', folder, recordingId: 'r1' });
    expect(parseExportedKey(folder)).toBeUndefined();
  });
});

describe('SidecarPairing', () => {
  test('pairs in any order and reports only the unmatched ones', () => {
    const pairing = new SidecarPairing();
    for (const key of [
      `${folder}r2_metadata.json`,
      `${folder}r1.opus`,
      `${folder}r3.wav`,
      `${folder}r1_metadata.json`,
      `${folder}r2.opus`,
      `${folder}r4_metadata.json`,
      folder,
    ]) {
      pairing.add(key);
    }
    expect(pairing.pointers).toBe(6);
    expect(pairing.findings()).toEqual([
      {
        type: 'RecordingWithoutSidecar',
        key: `${folder}r3.wav`,
        detail: 'The recording has no _metadata.json sidecar in its conversation folder.',
      },
      {
        type: 'SidecarWithoutRecording',
        key: `${folder}r4_metadata.json`,
        detail: 'The sidecar names a recording that is not in its conversation folder.',
      },
    ]);
  });

  test('the same recording id in another conversation folder is another pair', () => {
    const pairing = new SidecarPairing();
    // Leaving folder c1 settles its unmatched recording at once; the rest is settled at the end.
    const found = [
      ...pairing.add(`${folder}r1.opus`),
      ...pairing.add(folder.replace('c1', 'c2') + 'r1_metadata.json'),
      ...pairing.findings(),
    ];
    expect(found.map((f) => f.type)).toEqual(['RecordingWithoutSidecar', 'SidecarWithoutRecording']);
  });
});

describe('expirationFinding (T4 on live data)', () => {
  const object = { key: `${folder}r1.opus`, lastModified: new Date('2026-01-01T00:00:00Z'), size: 10 };
  const window = { id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 };

  test('an expiration at or after the platform window is fine', () => {
    expect(expirationFinding(object, [window], 730)).toBeUndefined();
    expect(expirationFinding(object, [], 730)).toBeUndefined();
  });

  test('a shorter untagged rule on the prefix is a finding naming the rule and both dates', () => {
    const short = { id: 'hand-made', prefix: 'recordings/org/', tags: {}, days: 90 };
    expect(expirationFinding(object, [window, short], 730)).toEqual({
      type: 'ExpiresBeforePlatformWindow',
      key: object.key,
      detail:
        "Lifecycle rule hand-made expires it on 2026-04-01, before the platform's 730-day window ends on 2028-01-01.",
    });
  });

  test('a fixed expiration date before the window ends is a finding', () => {
    const dated = { id: 'dated', prefix: '', tags: {}, date: new Date('2027-01-01T00:00:00Z') };
    expect(expirationFinding(object, [dated], 730)?.type).toBe('ExpiresBeforePlatformWindow');
  });

  test('tag-filtered rules and rules on other prefixes do not apply to untagged exports', () => {
    const tagged = { id: 'retention-class-short', prefix: 'recordings/', tags: { retention: 'short' }, days: 30 };
    const other = { id: 'reports', prefix: 'reports/', tags: {}, days: 1 };
    expect(expirationFinding(object, [window, tagged, other], 730)).toBeUndefined();
  });

  test('a size-filtered rule applies only to objects strictly inside its bounds', () => {
    const small = { id: 'small-objects', prefix: 'recordings/', tags: {}, days: 30, objectSizeLessThan: 1024 };
    const large = { id: 'large-objects', prefix: 'recordings/', tags: {}, days: 60, objectSizeGreaterThan: 1_000_000 };
    const band = {
      id: 'band',
      prefix: 'recordings/',
      tags: {},
      days: 90,
      objectSizeGreaterThan: 100,
      objectSizeLessThan: 200,
    };
    const sized = (size: number) => ({ ...object, size });
    // A 500 KB recording is outside all three: no finding.
    expect(expirationFinding(sized(500_000), [window, small, large, band], 730)).toBeUndefined();
    // The bounds are exclusive, as in S3.
    expect(expirationFinding(sized(1024), [window, small], 730)).toBeUndefined();
    expect(expirationFinding(sized(1_000_000), [window, large], 730)).toBeUndefined();
    expect(expirationFinding(sized(100), [window, band], 730)).toBeUndefined();
    expect(expirationFinding(sized(200), [window, band], 730)).toBeUndefined();
    // Inside the bounds the rule applies.
    expect(expirationFinding(sized(1023), [window, small], 730)?.detail).toContain('Lifecycle rule small-objects');
    expect(expirationFinding(sized(1_000_001), [window, large], 730)?.detail).toContain('Lifecycle rule large-objects');
    expect(expirationFinding(sized(150), [window, band], 730)?.detail).toContain('Lifecycle rule band');
  });
});

describe('SidecarPairing over a sorted listing', () => {
  test('settles pairs of folders the listing has left, and resumes from its pending keys without counting twice', () => {
    const a = 'recordings/x/conversation_id=a/';
    const b = 'recordings/x/conversation_id=b/';
    const pairing = new SidecarPairing();
    // A subfolder sorts between a recording and its sidecar; the pair is not settled early.
    expect(pairing.add(`${a}r1.opus`)).toEqual([]);
    expect(pairing.add(`${a}r1/extra.opus`)).toEqual([]);
    // The sidecar sorts after the subfolder, so the subfolder is settled now.
    expect(pairing.add(`${a}r1_metadata.json`).map((f) => `${f.type} ${f.key}`)).toEqual([
      `RecordingWithoutSidecar ${a}r1/extra.opus`,
    ]);
    expect(pairing.add(`${a}r2.opus`)).toEqual([]);
    expect(pairing.pending()).toEqual([`${a}r2.opus`]);
    // Leaving folder a settles its unmatched keys.
    expect(pairing.add(`${b}r3.opus`).map((f) => `${f.type} ${f.key}`)).toEqual([
      `RecordingWithoutSidecar ${a}r2.opus`,
    ]);
    expect(pairing.pending()).toEqual([`${b}r3.opus`]);
    // A new pairing restored from the pending keys matches the rest and counts only new keys.
    const resumed = new SidecarPairing(pairing.pending());
    resumed.add(`${b}r3_metadata.json`);
    expect(resumed.pointers).toBe(1);
    expect(resumed.findings()).toEqual([]);
  });
});

describe('encryptionFinding', () => {
  test('SSE-KMS with the archive key, by ARN or id, is fine', () => {
    expect(encryptionFinding('k', { serverSideEncryption: 'aws:kms', kmsKeyId: KEY_ARN }, KEY_ARN)).toBeUndefined();
    expect(
      encryptionFinding(
        'k',
        { serverSideEncryption: 'aws:kms', kmsKeyId: '11111111-2222-3333-4444-555555555555' },
        KEY_ARN,
      ),
    ).toBeUndefined();
  });

  test('another key, SSE-S3 or none is a finding that says what was found', () => {
    expect(
      encryptionFinding(
        'k',
        { serverSideEncryption: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:1:key/other' },
        KEY_ARN,
      )?.detail,
    ).toBe('Encrypted with SSE-KMS with arn:aws:kms:us-east-1:1:key/other instead of SSE-KMS with the archive key.');
    expect(encryptionFinding('k', { serverSideEncryption: 'AES256' }, KEY_ARN)?.detail).toBe(
      'Encrypted with AES256 instead of SSE-KMS with the archive key.',
    );
    expect(encryptionFinding('k', {}, KEY_ARN)?.detail).toBe(
      'Encrypted with no server-side encryption instead of SSE-KMS with the archive key.',
    );
  });
});

describe('retentionTagFinding', () => {
  test('a known class is fine; a missing tag and an unknown class are findings', () => {
    expect(
      retentionTagFinding('k', { retention: 'short', other: 'x' }, 'retention', ['short', 'long']),
    ).toBeUndefined();
    expect(retentionTagFinding('k', { other: 'x' }, 'retention', ['short', 'long'])).toEqual({
      type: 'MissingRetentionTag',
      key: 'k',
      detail: "The recording has no 'retention' tag, so only the prefix-wide expiration applies.",
    });
    expect(retentionTagFinding('k', { retention: 'forever' }, 'retention', ['short', 'long'])?.detail).toBe(
      "The 'retention' tag is 'forever', which is none of the classes (short, long), so no class rule applies.",
    );
  });
});

describe('FindingCollector', () => {
  test('counts every finding but keeps a bounded number of examples per type', () => {
    const collector = new FindingCollector(2);
    for (let i = 0; i < 5; i++) collector.add({ type: 'MissingRetentionTag', key: `k${4 - i}`, detail: '' });
    collector.add({ type: 'RecordingWithoutSidecar', key: 'r', detail: '' });
    expect(collector.counts.MissingRetentionTag).toBe(5);
    expect(collector.total).toBe(6);
    expect(collector.examples.map((f) => f.key)).toEqual(['k3', 'k4', 'r']);
  });
});

describe('partitions', () => {
  const day = new Date('2026-03-05T17:45:00Z');

  test('a Genesys day prefix is the layout up to the {dd} segment, zero-padded', () => {
    expect(genesysDayPrefix('recordings/', LAYOUT, 'org', day)).toBe('recordings/org/year=2026/month=03/day=05/');
    expect(genesysConversationPrefix('recordings/', LAYOUT, 'org', day, 'c9')).toBe(
      'recordings/org/year=2026/month=03/day=05/hour=17/conversation_id=c9/',
    );
    expect(connectDayPrefix('connect/i/CallRecordings/', day)).toBe('connect/i/CallRecordings/2026/03/05/');
  });

  test('a layout without {dd} or with an unknown token is refused in one sentence', () => {
    expect(() => genesysDayPrefix('r/', '{orgId}/{yyyy}/{mm}/', 'o', day)).toThrow(
      "The key layout '{orgId}/{yyyy}/{mm}/' has no {dd} segment, so it cannot be listed day by day.",
    );
    expect(() => genesysDayPrefix('r/', '{orgId}/{region}/{yyyy}/{mm}/{dd}/', 'o', day)).toThrow(
      'The key layout token {region} has no value here; the layout must name {orgId}, {yyyy}, {mm}, {dd}, {hh} and {conversationId} only.',
    );
  });

  test('the plan lists every day of the horizon once, oldest first, then Connect days', () => {
    expect(daysBack(day, 2).map((d) => d.toISOString())).toEqual([
      '2026-03-03T00:00:00.000Z',
      '2026-03-04T00:00:00.000Z',
      '2026-03-05T00:00:00.000Z',
    ]);
    const plan = partitionPlan({
      startedAt: day,
      horizonDays: 730,
      archiveBucket: 'archive',
      recordingsPrefix: 'recordings/',
      keyLayout: LAYOUT,
      orgId: 'org',
      connect: { bucket: 'connect-bucket', prefix: 'c/', days: 7 },
    });
    expect(plan).toHaveLength(731 + 8);
    expect(new Set(plan.map((p) => p.prefix)).size).toBe(plan.length);
    expect(plan[0]).toEqual({
      source: 'genesys',
      bucket: 'archive',
      prefix: 'recordings/org/year=2024/month=03/day=05/',
    });
    expect(plan[plan.length - 1]).toEqual({ source: 'connect', bucket: 'connect-bucket', prefix: 'c/2026/03/05/' });
  });
});
