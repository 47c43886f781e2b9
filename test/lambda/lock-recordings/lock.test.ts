import {
  CreateBucketCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHandler, readLockDays } from '../../../lambda/lock-recordings/lock';
import { DAY_MS, needsLonger, retainUntilFor } from '../../../lambda/shared/object-retention';
import { Rgw, useRgw } from '../../support/rgw';

const objectCreated = (bucket: string, key: string, versionId?: string) => ({
  version: '0',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: {
    version: '0',
    bucket: { name: bucket },
    object: { key, size: 1, 'version-id': versionId },
    reason: 'PutObject',
  },
});

describe('retention rules (pure)', () => {
  test('retain-until is LastModified plus whole days, and only a later date is written', () => {
    const written = new Date('2026-03-01T10:00:00.000Z');
    expect(retainUntilFor(written, 730).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(retainUntilFor(written, 1, 10_000).toISOString()).toBe('2026-03-01T10:00:10.000Z');
    expect(needsLonger(undefined, written)).toBe(true);
    expect(needsLonger(new Date(written.getTime() - 1), written)).toBe(true);
    expect(needsLonger(written, written)).toBe(false);
    expect(needsLonger(new Date(written.getTime() + DAY_MS), written)).toBe(false);
  });

  test('LOCK_DAYS must be a positive integer', () => {
    expect(readLockDays({ LOCK_DAYS: '730' })).toBe(730);
    expect(() => readLockDays({ LOCK_DAYS: '0' })).toThrow(
      "The environment variable LOCK_DAYS must be a positive integer, not '0'.",
    );
    expect(() => readLockDays({})).toThrow("The environment variable LOCK_DAYS must be a positive integer, not ''.");
  });
});

// The lock function against a real S3 with Object Lock (Ceph RADOS Gateway).
describe('lock function on the RADOS Gateway', () => {
  let rgw: Rgw;
  let s3: S3Client;
  const bucket = `lock-${Date.now()}`;
  const plain = `lock-plain-${Date.now()}`;

  beforeAll(async () => {
    rgw = await useRgw();
    s3 = rgw.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: plain }));
  }, 200_000);

  afterAll(() => s3?.destroy());

  test('lengthens the default lock of a new version to LastModified + the window, in the bucket mode', async () => {
    const key = 'recordings/org/year=2026/month=03/day=01/hour=10/conversation_id=c1/r1.opus';
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'audio' }));
    const result = await createHandler(s3, 730)(objectCreated(bucket, key, put.VersionId));
    expect(result).toMatchObject({ outcome: 'locked', versionId: put.VersionId, mode: 'GOVERNANCE' });
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: put.VersionId }),
    );
    expect(retention.Retention?.Mode).toBe('GOVERNANCE');
    const days = (retention.Retention!.RetainUntilDate!.getTime() - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(729.9);
    expect(days).toBeLessThanOrEqual(730);
    // A second delivery of the same event writes nothing.
    expect(await createHandler(s3, 730)(objectCreated(bucket, key, put.VersionId))).toMatchObject({
      outcome: 'unchanged',
    });
  });

  test('never shortens a longer retention, and locks the sidecar of a recording too', async () => {
    const key = 'recordings/org/year=2026/month=03/day=01/hour=10/conversation_id=c2/r2_metadata.json';
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{}' }));
    const far = new Date(Date.now() + 900 * DAY_MS);
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: key,
        VersionId: put.VersionId,
        Retention: { Mode: 'GOVERNANCE', RetainUntilDate: far },
      }),
    );
    const result = await createHandler(s3, 730)(objectCreated(bucket, key, put.VersionId));
    expect(result).toMatchObject({ outcome: 'unchanged' });
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: put.VersionId }),
    );
    expect(Math.abs(retention.Retention!.RetainUntilDate!.getTime() - far.getTime())).toBeLessThan(1000);
  });

  test('a bucket without Object Lock is left alone; a version that is not there fails for a retry', async () => {
    await s3.send(new PutObjectCommand({ Bucket: plain, Key: 'recordings/x.opus', Body: 'a' }));
    expect(await createHandler(s3, 730)(objectCreated(plain, 'recordings/x.opus'))).toEqual({
      outcome: 'no-object-lock',
    });
    await expect(createHandler(s3, 730)(objectCreated(bucket, 'recordings/missing.opus', 'nope'))).rejects.toThrow(
      `The version nope of s3://${bucket}/recordings/missing.opus is not in the bucket (yet).`,
    );
  });
});
