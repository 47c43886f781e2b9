import {
  GetBucketLifecycleConfigurationCommand,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { liveExpirationRules, s3Reader } from '../../../lambda/pointer-integrity/s3-reader';

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

// The gateway test (rgw-over-retention.test.ts) lists fewer versions than one page; S3's paging of
// ListObjectVersions (a key's versions may continue on the next page) is covered here.
test('version listing merges versions and delete markers newest first per key and pages on the key and version-id markers', async () => {
  const t = (iso: string) => new Date(iso);
  s3.on(ListObjectVersionsCommand, { Bucket: 'archive', Prefix: 'recordings/', KeyMarker: undefined })
    .resolves({
      Versions: [
        { Key: 'recordings/a', VersionId: 'a2', IsLatest: false, LastModified: t('2026-01-02T00:00:00Z'), Size: 5 },
        { Key: 'recordings/a', VersionId: 'a1', IsLatest: false, LastModified: t('2026-01-01T00:00:00Z'), Size: 4 },
        { Key: 'recordings/b', VersionId: 'b2', IsLatest: true, LastModified: t('2026-01-05T00:00:00Z'), Size: 3 },
      ],
      DeleteMarkers: [
        { Key: 'recordings/a', VersionId: 'am', IsLatest: true, LastModified: t('2026-01-03T00:00:00Z') },
      ],
      IsTruncated: true,
      NextKeyMarker: 'recordings/b',
      NextVersionIdMarker: 'b2',
    })
    .on(ListObjectVersionsCommand, { KeyMarker: 'recordings/b', VersionIdMarker: 'b2' })
    .resolves({
      Versions: [
        { Key: 'recordings/b', VersionId: 'b1', IsLatest: false, LastModified: t('2026-01-04T00:00:00Z'), Size: 2 },
      ],
      IsTruncated: false,
    });
  const reader = s3Reader(new S3Client({}));
  const first = await reader.listVersions('archive', 'recordings/');
  expect(first.versions.map((v) => [v.key, v.versionId, v.isLatest, v.isDeleteMarker, v.size])).toEqual([
    ['recordings/a', 'am', true, true, 0],
    ['recordings/a', 'a2', false, false, 5],
    ['recordings/a', 'a1', false, false, 4],
    ['recordings/b', 'b2', true, false, 3],
  ]);
  expect(first.nextToken).toBeDefined();
  const second = await reader.listVersions('archive', 'recordings/', first.nextToken);
  expect(second.versions.map((v) => v.versionId)).toEqual(['b1']);
  expect(second.nextToken).toBeUndefined();
  expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).toEqual([
    { Bucket: 'archive', Prefix: 'recordings/', KeyMarker: undefined, VersionIdMarker: undefined },
    { Bucket: 'archive', Prefix: 'recordings/', KeyMarker: 'recordings/b', VersionIdMarker: 'b2' },
  ]);
});

test('a bucket in another region is read with its own client', async () => {
  s3.on(ListObjectVersionsCommand).resolves({ Versions: [], IsTruncated: false });
  const home = new S3Client({ region: 'us-east-1' });
  const west = new S3Client({ region: 'us-west-2' });
  const reader = s3Reader(home, { replica: west });
  await reader.listVersions('replica', 'recordings/');
  await reader.listVersions('archive', 'recordings/');
  const regions = await Promise.all(
    s3.commandCalls(ListObjectVersionsCommand).map((c) => (c.thisValue as S3Client).config.region()),
  );
  expect(regions).toEqual(['us-west-2', 'us-east-1']);
});
