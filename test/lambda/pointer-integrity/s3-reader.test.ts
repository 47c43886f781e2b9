import { GetBucketLifecycleConfigurationCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { liveExpirationRules } from '../../../lambda/pointer-integrity/s3-reader';

// s3rver has no lifecycle API, so the live-rule reader is tested against the SDK mock.
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

test('live lifecycle rules become expirations: filters, tags, dates; disabled and transition-only rules are skipped', async () => {
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({
    Rules: [
      { ID: 'archive-window', Status: 'Enabled', Filter: { Prefix: 'recordings/' }, Expiration: { Days: 730 } },
      {
        ID: 'retention-class-short',
        Status: 'Enabled',
        Filter: { And: { Prefix: 'recordings/', Tags: [{ Key: 'retention', Value: 'short' }] } },
        Expiration: { Days: 30 },
      },
      {
        ID: 'one-tag',
        Status: 'Enabled',
        Filter: { Tag: { Key: 'retention', Value: 'long' } },
        Expiration: { Days: 90 },
      },
      { ID: 'legacy', Status: 'Enabled', Prefix: 'old/', Expiration: { Date: new Date('2030-01-01T00:00:00Z') } },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
      {
        ID: 'cleanup',
        Status: 'Enabled',
        Filter: { Prefix: 'recordings/' },
        Expiration: { ExpiredObjectDeleteMarker: true },
      },
    ],
  });
  expect(await liveExpirationRules(new S3Client({}), 'archive')).toEqual([
    { id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730, date: undefined },
    { id: 'retention-class-short', prefix: 'recordings/', tags: { retention: 'short' }, days: 30, date: undefined },
    { id: 'one-tag', prefix: '', tags: { retention: 'long' }, days: 90, date: undefined },
    { id: 'legacy', prefix: 'old/', tags: {}, days: undefined, date: new Date('2030-01-01T00:00:00Z') },
  ]);
});

test('size filters of live rules are kept as bounds, alone or with a prefix and tags', async () => {
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({
    Rules: [
      { ID: 'small', Status: 'Enabled', Filter: { ObjectSizeLessThan: 131072 }, Expiration: { Days: 30 } },
      { ID: 'large', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 1000000 }, Expiration: { Days: 60 } },
      {
        ID: 'band',
        Status: 'Enabled',
        Filter: {
          And: {
            Prefix: 'recordings/',
            Tags: [{ Key: 'retention', Value: 'short' }],
            ObjectSizeGreaterThan: 100,
            ObjectSizeLessThan: 200,
          },
        },
        Expiration: { Days: 90 },
      },
    ],
  });
  expect(await liveExpirationRules(new S3Client({}), 'archive')).toEqual([
    { id: 'small', prefix: '', tags: {}, days: 30, date: undefined, objectSizeLessThan: 131072 },
    { id: 'large', prefix: '', tags: {}, days: 60, date: undefined, objectSizeGreaterThan: 1000000 },
    {
      id: 'band',
      prefix: 'recordings/',
      tags: { retention: 'short' },
      days: 90,
      date: undefined,
      objectSizeGreaterThan: 100,
      objectSizeLessThan: 200,
    },
  ]);
});

test('a bucket without lifecycle has no expirations; other errors are not hidden', async () => {
  s3.on(GetBucketLifecycleConfigurationCommand)
    .rejectsOnce(
      new S3ServiceException({
        name: 'NoSuchLifecycleConfiguration',
        $fault: 'client',
        $metadata: {},
        message: 'The lifecycle configuration does not exist',
      }),
    )
    .rejectsOnce(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'Access Denied' }),
    );
  expect(await liveExpirationRules(new S3Client({}), 'archive')).toEqual([]);
  await expect(liveExpirationRules(new S3Client({}), 'archive')).rejects.toThrow('Access Denied');
});
