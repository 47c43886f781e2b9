import {
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  PutObjectRetentionCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createBucketLockReader, lockUntilDay } from '../../../lambda/shared/object-retention';

// aws-sdk-client-mock, because the gateway differs from S3 here (design.md, "Offline testing"):
// Ceph answers a version without retention with ObjectLockConfigurationNotFoundError (covered by
// the RGW tests), S3 with NoSuchObjectLockConfiguration; and S3 answers a bucket without Object
// Lock with ObjectLockConfigurationNotFoundError. Both S3 answers are exercised here.
const s3error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: '' });

describe('per-object retention against S3 answers the gateway does not give', () => {
  const mock = mockClient(S3Client);
  afterEach(() => mock.reset());
  const s3 = new S3Client({ region: 'us-east-1' });
  const written = new Date('2026-03-01T10:00:00.000Z');

  test("a version without retention (S3's NoSuchObjectLockConfiguration) is locked in the bucket's mode", async () => {
    mock
      .on(ListObjectVersionsCommand)
      .resolves({ Versions: [{ Key: 'k', VersionId: 'v1', IsLatest: true, LastModified: written }] });
    mock.on(GetObjectRetentionCommand).rejects(s3error('NoSuchObjectLockConfiguration', 404));
    mock.on(PutObjectRetentionCommand).resolves({});
    const result = await lockUntilDay(s3, { bucket: 'b', key: 'k' }, 30, { mode: 'COMPLIANCE' });
    expect(result).toEqual({
      outcome: 'locked',
      versionId: 'v1',
      mode: 'COMPLIANCE',
      retainUntil: new Date('2026-03-31T10:00:00.000Z'),
    });
    expect(mock.commandCalls(PutObjectRetentionCommand)[0].args[0].input).toEqual({
      Bucket: 'b',
      Key: 'k',
      VersionId: 'v1',
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date('2026-03-31T10:00:00.000Z') },
    });
  });

  test("a bucket without Object Lock (S3's ObjectLockConfigurationNotFoundError) is read once and left alone", async () => {
    mock.on(GetObjectLockConfigurationCommand).rejects(s3error('ObjectLockConfigurationNotFoundError', 404));
    const read = createBucketLockReader(s3);
    expect(await read('plain')).toBeUndefined();
    expect(await read('plain')).toBeUndefined();
    expect(mock.commandCalls(GetObjectLockConfigurationCommand)).toHaveLength(1);
    expect(await lockUntilDay(s3, { bucket: 'plain', key: 'k' }, 30, await read('plain'))).toEqual({
      outcome: 'no-object-lock',
    });
    expect(mock.commandCalls(ListObjectVersionsCommand)).toHaveLength(0);
  });

  test('a COMPLIANCE retention keeps its mode when lengthened; other errors are thrown for the retry path', async () => {
    mock
      .on(ListObjectVersionsCommand)
      .resolves({ Versions: [{ Key: 'k', VersionId: 'v1', IsLatest: true, LastModified: written }] });
    mock
      .on(GetObjectRetentionCommand)
      .resolves({ Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date('2026-03-02T00:00:00.000Z') } });
    mock.on(PutObjectRetentionCommand).resolves({});
    expect(await lockUntilDay(s3, { bucket: 'b', key: 'k' }, 30, { mode: 'GOVERNANCE' })).toMatchObject({
      outcome: 'locked',
      mode: 'COMPLIANCE',
    });
    mock.on(GetObjectRetentionCommand).rejects(s3error('AccessDenied', 403));
    await expect(lockUntilDay(s3, { bucket: 'b', key: 'k' }, 30, { mode: 'GOVERNANCE' })).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});
