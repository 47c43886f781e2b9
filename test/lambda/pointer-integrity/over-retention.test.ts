import {
  dueExpiration,
  lifecycleDue,
  ListedVersion,
  overRetentionFindings,
} from '../../../lambda/pointer-integrity/over-retention';
import type { ExpirationRule } from '../../../lambda/pointer-integrity/reconcile';

const rules: ExpirationRule[] = [
  { id: 'recording-archive-prod-retention-class-sales', prefix: 'connect/', tags: { retention: 'sales' }, days: 400 },
  { id: 'recording-archive-prod-untagged-fallback', prefix: 'connect/', tags: {}, days: 2190 },
];
const at = (iso: string) => new Date(iso);
const version = (v: Partial<ListedVersion>): ListedVersion => ({
  key: 'connect/a.wav',
  lastModified: at('2024-01-10T12:00:00Z'),
  size: 200_000,
  isLatest: true,
  isDeleteMarker: false,
  ...v,
});

test('lifecycle days are counted from the write and rounded up to the next midnight UTC', () => {
  expect(lifecycleDue(at('2024-01-10T12:00:00Z'), 1).toISOString()).toBe('2024-01-12T00:00:00.000Z');
  expect(lifecycleDue(at('2024-01-10T00:00:00Z'), 1).toISOString()).toBe('2024-01-11T00:00:00.000Z');
});

test('the class rule applies through the tag, the fallback without it; the shorter wins', () => {
  expect(dueExpiration(version({}), { retention: 'sales' }, rules)?.rule.id).toBe(
    'recording-archive-prod-retention-class-sales',
  );
  expect(dueExpiration(version({}), {}, rules)?.rule.id).toBe('recording-archive-prod-untagged-fallback');
  expect(dueExpiration(version({ key: 'recordings/x' }), {}, rules)).toBeUndefined();
});

describe('overRetentionFindings', () => {
  const options = { copy: 'connect-bucket', rules, noncurrentDays: 1 };

  test('a tagged current version is reported only after its class day plus two days of lifecycle lag', () => {
    const due = lifecycleDue(at('2024-01-10T12:00:00Z'), 400); // 2025-02-14
    const justInside = new Date(due.getTime() + 2 * 86_400_000 - 1);
    expect(overRetentionFindings([version({})], { retention: 'sales' }, { ...options, now: justInside })).toEqual([]);
    const past = new Date(due.getTime() + 2 * 86_400_000 + 1);
    expect(
      overRetentionFindings([version({ versionId: 'v1' })], { retention: 'sales' }, { ...options, now: past }),
    ).toEqual([
      {
        type: 'RetainedPastDay',
        key: 'connect/a.wav',
        detail: `The current version (connect-bucket s3 version v1) was due to expire on ${due.toISOString().slice(0, 10)} by rule recording-archive-prod-retention-class-sales and is still there more than 2 days later.`,
      },
    ]);
    // Untagged, the same version is inside the fallback's 2190 days.
    expect(overRetentionFindings([version({})], {}, { ...options, now: past })).toEqual([]);
  });

  test('a noncurrent version is measured from when the next version (or delete marker) was written', () => {
    const versions = [
      version({ versionId: 'dm', isDeleteMarker: true, lastModified: at('2025-02-15T03:00:00Z') }),
      version({ versionId: 'v1', isLatest: false }),
    ];
    // Became noncurrent 2025-02-15; due 2025-02-17 (1 day, rounded up); reported after 2025-02-19.
    expect(overRetentionFindings(versions, undefined, { ...options, now: at('2025-02-18T23:00:00Z') })).toEqual([]);
    const findings = overRetentionFindings(versions, undefined, { ...options, now: at('2025-02-19T01:00:00Z') });
    expect(findings).toEqual([
      {
        type: 'NoncurrentPastDay',
        key: 'connect/a.wav',
        detail:
          'A noncurrent version (connect-bucket s3 version v1) became noncurrent on 2025-02-15, was due to go on 2025-02-17 (1 noncurrent days) and is still there more than 2 days later.',
      },
    ]);
  });
});
