import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Rgw, useRgw } from './rgw';

// The harness itself: a real gateway with Object Lock, so the end-to-end tests that build on it
// fail for their own reasons, not the harness's.
describe('the shared RADOS Gateway', () => {
  let rgw: Rgw;
  let s3: S3Client;
  const bucket = `harness-${Date.now()}`;

  beforeAll(async () => {
    rgw = await useRgw();
    s3 = rgw.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  }, 200_000);

  afterAll(() => s3?.destroy());

  test('stamps the default retention on new versions and refuses to delete a locked version', async () => {
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/locked.wav', Body: 'x' }));
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: bucket, Key: 'a/locked.wav', VersionId: put.VersionId }),
    );
    expect(retention.Retention?.Mode).toBe('GOVERNANCE');
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a/locked.wav', VersionId: put.VersionId })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  test('a retention cannot be shortened without bypass, and a legal hold is per version', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/held.wav', Body: 'y' }));
    const until = new Date(Date.now() + 3 * 86_400_000);
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: 'a/held.wav',
        VersionId: put.VersionId,
        Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until },
      }),
    );
    await expect(
      s3.send(
        new PutObjectRetentionCommand({
          Bucket: bucket,
          Key: 'a/held.wav',
          VersionId: put.VersionId,
          Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 3_600_000) },
        }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await s3.send(
      new PutObjectLegalHoldCommand({
        Bucket: bucket,
        Key: 'a/held.wav',
        VersionId: put.VersionId,
        LegalHold: { Status: 'ON' },
      }),
    );
    const hold = await s3.send(
      new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'a/held.wav', VersionId: put.VersionId }),
    );
    expect(hold.LegalHold?.Status).toBe('ON');
  });
});
