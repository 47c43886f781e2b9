import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { connectLifecycleRules, connectRuleIdPrefix } from '../../../lib/constructs/connect-bucket-lifecycle';
import { createOnEvent } from '../../../lambda/connect-lifecycle/handler';
import { createClassLock } from '../../../lambda/tag-recordings/class-lock';
import { createRecordHandler } from '../../../lambda/tag-recordings/tagger';
import { ctr } from '../../fixtures/connect-ctr';
import { kinesisEventOf } from '../../support/kinesis-event';
import { Rgw, useRgw } from '../../support/rgw';

// End to end on a real S3 with Object Lock, versions and lifecycle that runs (Ceph RADOS Gateway,
// one lifecycle day = rgw.lcDaySeconds): the merge-only custom resource writes the Connect rules
// (classes + untagged fallback), the tagger tags and locks, and lifecycle deletes on the day.
const prefix = 'connect/i/CallRecordings/';
const classes = { short: 2, long: 5 };

async function versionsOf(s3: S3Client, bucket: string, key: string) {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return {
    versions: (page.Versions ?? []).filter((v) => v.Key === key),
    markers: (page.DeleteMarkers ?? []).filter((m) => m.Key === key),
  };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

describe('Connect retention on the RADOS Gateway', () => {
  let rgw: Rgw;
  let s3: S3Client;
  const bucket = `connect-lc-${Date.now()}`;

  beforeAll(async () => {
    rgw = await useRgw();
    s3 = rgw.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  }, 200_000);

  afterAll(() => s3?.destroy());

  test("a recording tagged 'short' is locked until its day, then gets a delete marker and its bytes go; an untagged one follows the fallback", async () => {
    // The merge-only custom resource writes the class rules and the fallback.
    const rules = connectLifecycleRules({
      envName: 'e2e',
      prefix,
      retentionTagKey: 'retention',
      retentionClasses: classes,
      noncurrentVersionExpirationDays: 1,
    });
    const onEvent = createOnEvent(s3);
    await onEvent({
      RequestType: 'Create',
      ResourceProperties: {
        ServiceToken: 'x',
        BucketName: bucket,
        RuleIdPrefix: connectRuleIdPrefix('e2e'),
        Rules: JSON.stringify(rules),
      },
    } as unknown as CloudFormationCustomResourceEvent);
    const live = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect((live.Rules ?? []).map((r) => r.ID).sort()).toEqual([
      'recording-archive-e2e-retention-class-long',
      'recording-archive-e2e-retention-class-short',
      'recording-archive-e2e-untagged-fallback',
    ]);

    const tagged = `${prefix}2026/12/01/c-short_20261201T10:00_UTC.wav`;
    const untagged = `${prefix}2026/12/01/c-none_20261201T10:00_UTC.wav`;
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: tagged, Body: 'audio' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: untagged, Body: 'audio' }));
    const written = Date.now();

    // The tagger tags the recording of the CTR and locks it for the class's days.
    const dayMs = rgw.lcDaySeconds * 1000;
    // The recording is there, so nothing may go to the retry or parked queue.
    const queued: unknown[] = [];
    const handle = createRecordHandler({
      s3,
      queues: { retry: async (m) => void queued.push(m), park: async (m) => void queued.push(m) },
      settings: {
        tagKey: 'retention',
        classes: Object.keys(classes),
        defaultClass: 'long',
        concurrency: 4,
        missingObjectAttempts: 2,
        missingObjectDelayMs: 100,
      },
      classLock: createClassLock(s3, classes, { dayMs }),
    });
    await handle(
      kinesisEventOf([JSON.stringify(ctr('c-short', `${bucket}/${tagged}`, { retention: 'short' }))]).Records[0],
    );
    expect(queued).toEqual([]);
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: bucket, Key: tagged, VersionId: put.VersionId }),
    );
    expect(retention.Retention?.Mode).toBe('GOVERNANCE');
    const lockedFor = retention.Retention!.RetainUntilDate!.getTime() - written;
    expect(lockedFor).toBeGreaterThan(classes.short * dayMs - 5_000);
    expect(lockedFor).toBeLessThanOrEqual(classes.short * dayMs + 1_000);

    // Locked: the version cannot be deleted before its day.
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: tagged, VersionId: put.VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });

    // Its class day passes: lifecycle places a delete marker, while the untagged one is still current.
    await until('the delete marker of the short recording', 12 * dayMs, async () =>
      (await versionsOf(s3, bucket, tagged)).markers.length > 0 ? true : undefined,
    );
    const markerAfter = Date.now() - written;
    expect(markerAfter).toBeGreaterThanOrEqual(classes.short * dayMs - 2_000);
    const untaggedNow = await versionsOf(s3, bucket, untagged);
    if (Date.now() - written < classes.long * dayMs) expect(untaggedNow.markers).toHaveLength(0);

    // The lock has lapsed by then; the noncurrent version goes one (short) day later.
    await until('the bytes of the short recording to go', 12 * dayMs, async () =>
      (await versionsOf(s3, bucket, tagged)).versions.length === 0 ? true : undefined,
    );

    // The untagged recording follows the fallback at the longest class.
    await until('the delete marker of the untagged recording', 14 * dayMs, async () =>
      (await versionsOf(s3, bucket, untagged)).markers.length > 0 ? true : undefined,
    );
    expect(Date.now() - written).toBeGreaterThanOrEqual(classes.long * dayMs - 2_000);
  }, 420_000);
});
