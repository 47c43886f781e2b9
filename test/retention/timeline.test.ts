import { ENVIRONMENTS, EnvironmentConfigInput, loadConfig, resolveConfig } from '../../lib/config';
import {
  connectCopies,
  fallbackExpirationDays,
  retentionTimeline,
  rowLabel,
  TimelineRow,
} from '../../lib/retention/timeline';

/** A small environment built from plain values, so the expectations below follow from it alone. */
function config(overrides: Partial<EnvironmentConfigInput> = {}) {
  const base: EnvironmentConfigInput = {
    account: '111111111111',
    region: 'us-east-1',
    compliance: { retentionDays: 400 },
    objectLock: { mode: 'COMPLIANCE', defaultRetentionDays: 10 },
    lifecycle: {
      standardIaDays: 30,
      glacierDays: 90,
      deepArchiveDays: 180,
      noncurrentVersionExpirationDays: 3,
      abortIncompleteMultipartUploadDays: 7,
    },
    genesys: {
      organizationId: '00000000-0000-4000-8000-000000000000',
      region: 'us-east-1',
      platformRetentionDays: 365,
      allowedCidrs: {
        source: 'test',
        services: ['api'],
        region: 'us-east-1',
        fetchedAt: null,
        example: true,
        cidrs: ['203.0.113.0/24'],
      },
    },
    retention: { classes: { short: 60, mid: 120 }, defaultClass: 'mid' },
  };
  return resolveConfig('unit', { ...base, ...overrides });
}

const find = (rows: readonly TimelineRow[], copy: string, kind: string) =>
  rows.find(
    (r) =>
      r.copy === copy &&
      (kind === 'genesys' ? r.source === 'genesys' : kind === 'untagged' ? r.untagged : r.retentionClass === kind),
  );

describe('retentionTimeline', () => {
  test('Genesys exports on the archive: transitions, locked until the window, marker on the window, bytes gone after the noncurrent days', () => {
    const rows = retentionTimeline(config());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      source: 'genesys',
      copy: 'archive',
      bucket: 'archive bucket (us-east-1)',
      standardIaDay: 30,
      glacierDay: 90,
      deepArchiveDay: 180,
      lockedUntilDay: 400,
      lockMode: 'COMPLIANCE',
      deleteMarkerDay: 400,
      bytesGoneDay: 403,
      nativeDeletionDay: 365,
    });
    expect(rows[0].retentionClass).toBeUndefined();
    expect(rows[0].notes.join(' ')).toContain(
      'Locked by default for 10 days on write; the lock function then sets retain-until to the write + 400 days',
    );
    expect(rows[0].notes.join(' ')).toContain('runs asynchronously');
  });

  test('a replica gets the same days as the archive and says why it needs its own lifecycle', () => {
    const rows = retentionTimeline(
      config({
        replication: { region: 'us-west-2' },
      }),
    );
    const archive = find(rows, 'archive', 'genesys')!;
    const replica = find(rows, 'replica', 'genesys')!;
    const days = (r: TimelineRow) => [
      r.standardIaDay,
      r.glacierDay,
      r.deepArchiveDay,
      r.lockedUntilDay,
      r.lockMode,
      r.deleteMarkerDay,
      r.bytesGoneDay,
    ];
    expect(days(replica)).toEqual(days(archive));
    expect(replica.bucket).toBe('replica (us-west-2)');
    expect(replica.notes).toContain(
      "The replica's own lifecycle (the archive's rules) places its delete marker: S3 never replicates delete markers that lifecycle adds.",
    );
  });

  test("Connect's own bucket: one row per class at its days, untagged at the longest class, no transitions, no lock the app knows of", () => {
    const c = config({
      connect: {
        existingRecordingBucket: {
          bucketName: 'connect-bucket-x',
          prefix: 'connect/i/CallRecordings/',
          noncurrentVersionExpirationDays: 2,
        },
      },
    });
    const rows = retentionTimeline(c);
    expect(connectCopies(c)).toEqual(['connect-bucket']);
    expect(fallbackExpirationDays(c)).toBe(120);
    expect(
      rows
        .filter((r) => r.source === 'connect')
        .map((r) => [rowLabel(r, c), r.bucket, r.deleteMarkerDay, r.bytesGoneDay, r.lockedUntilDay, r.standardIaDay]),
    ).toEqual([
      ['class short (60 d)', 'connect-bucket-x', 60, 62, undefined, undefined],
      ['class mid (120 d)', 'connect-bucket-x', 120, 122, undefined, undefined],
      ['untagged Connect', 'connect-bucket-x', 120, 122, undefined, undefined],
    ]);
    expect(find(rows, 'connect-bucket', 'untagged')!.notes[0]).toBe(
      'Fallback expiration at the longest class (120 days): S3 applies the shorter of overlapping expirations, so it never shortens a class.',
    );
  });

  test('Connect recordings in the archive (no Connect bucket): locked until their class day, only the transitions before it, on archive and replica', () => {
    const c = config({
      connect: {},
      replication: { region: 'us-west-2' },
    });
    const rows = retentionTimeline(c);
    for (const copy of ['archive', 'replica']) {
      expect(find(rows, copy, 'short')).toMatchObject({
        standardIaDay: 30,
        glacierDay: undefined,
        deepArchiveDay: undefined,
        lockedUntilDay: 60,
        deleteMarkerDay: 60,
        bytesGoneDay: 63,
      });
      expect(find(rows, copy, 'mid')).toMatchObject({
        standardIaDay: 30,
        glacierDay: 90,
        deepArchiveDay: undefined,
        lockedUntilDay: 120,
        deleteMarkerDay: 120,
      });
      // Untagged in the recordings prefix: the window rule, and only the default lock.
      expect(find(rows, copy, 'untagged')).toMatchObject({
        lockedUntilDay: 10,
        lockMode: 'COMPLIANCE',
        deleteMarkerDay: 400,
        bytesGoneDay: 403,
      });
    }
  });

  test('Connect recording into the archive: classes and untagged under connect/ (no replica: replication covers the recordings prefix), untagged at the longest class', () => {
    const c = config({
      connect: {
        instanceArn: 'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de',
        recordIntoArchive: true,
      },
      replication: { region: 'us-west-2' },
    });
    expect(connectCopies(c)).toEqual(['archive']);
    const rows = retentionTimeline(c);
    expect(find(rows, 'replica', 'untagged')).toBeUndefined();
    expect(find(rows, 'archive', 'untagged')).toMatchObject({
      deleteMarkerDay: 120,
      bytesGoneDay: 123,
      lockedUntilDay: 10,
    });
    expect(find(rows, 'archive', 'untagged')!.notes[0]).toBe(
      'Untagged recordings under connect/ follow the fallback expiration at the longest class (120 days, capped by the 400-day window): S3 applies the shorter of overlapping expirations, so it never shortens a class.',
    );
    expect(find(rows, 'archive', 'short')).toMatchObject({ deleteMarkerDay: 60, lockedUntilDay: 60 });
    // With Connect's own bucket as well, both locations are copies.
    const both = config({
      connect: {
        instanceArn: 'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de',
        recordIntoArchive: true,
        existingRecordingBucket: {
          bucketName: 'connect-bucket-x',
          prefix: 'connect/i/CallRecordings/',
          noncurrentVersionExpirationDays: 2,
        },
      },
    });
    expect(connectCopies(both)).toEqual(['archive', 'connect-bucket']);
  });

  test('every committed environment: nothing is locked past its delete marker, bytes go after the marker, classes never outlive the window', () => {
    for (const envName of Object.keys(ENVIRONMENTS)) {
      const c = loadConfig(envName);
      const rows = retentionTimeline(c);
      expect(rows.filter((r) => r.source === 'genesys' && r.copy === 'archive')).toHaveLength(1);
      for (const row of rows) {
        if (row.lockedUntilDay !== undefined) expect(row.lockedUntilDay).toBeLessThanOrEqual(row.deleteMarkerDay);
        expect(row.bytesGoneDay).toBeGreaterThan(row.deleteMarkerDay);
        expect(row.deleteMarkerDay).toBeLessThanOrEqual(c.compliance.retentionDays);
        for (const t of [row.standardIaDay, row.glacierDay, row.deepArchiveDay])
          if (t !== undefined) expect(t).toBeLessThan(row.deleteMarkerDay);
      }
      if (c.replication) expect(rows.some((r) => r.copy === 'replica')).toBe(true);
      if (c.connect)
        expect(rows.filter((r) => r.source === 'connect' && !r.untagged)).toHaveLength(
          connectCopies(c).length * Object.keys(c.retention.classes).length,
        );
    }
  });
});
