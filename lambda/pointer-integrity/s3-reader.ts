import {
  GetBucketLifecycleConfigurationCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  LifecycleRule,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ListedVersion, versionOrder } from './over-retention';
import { ExpirationRule } from './reconcile';
import { ArchiveReader } from './run';

/**
 * The check's S3 reads over SDK clients: one ListObjectsV2 or ListObjectVersions per 1,000 keys or
 * versions, HeadObject, GetObjectTagging. `clients` names a client per bucket in another region
 * (the replica); every other bucket is read with `client`.
 */
export function s3Reader(client: S3Client, clients: Readonly<Record<string, S3Client>> = {}): ArchiveReader {
  const clientFor = (bucket: string) => clients[bucket] ?? client;
  return {
    async listPage(bucket, prefix, continuationToken) {
      const page = await clientFor(bucket).send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }),
      );
      return {
        objects: (page.Contents ?? []).map((o) => ({
          key: o.Key ?? '',
          lastModified: o.LastModified ?? new Date(0),
          size: o.Size ?? 0,
          storageClass: o.StorageClass,
        })),
        nextToken: page.IsTruncated ? page.NextContinuationToken : undefined,
      };
    },
    async listVersions(bucket, prefix, token) {
      const marker = token === undefined ? undefined : (JSON.parse(token) as [string, string | undefined]);
      const page = await clientFor(bucket).send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: marker?.[0],
          VersionIdMarker: marker?.[1],
        }),
      );
      const versions: ListedVersion[] = [
        ...(page.Versions ?? []).map((v) => ({
          key: v.Key ?? '',
          versionId: v.VersionId,
          lastModified: v.LastModified ?? new Date(0),
          size: v.Size ?? 0,
          isLatest: v.IsLatest ?? false,
          isDeleteMarker: false,
        })),
        ...(page.DeleteMarkers ?? []).map((m) => ({
          key: m.Key ?? '',
          versionId: m.VersionId,
          lastModified: m.LastModified ?? new Date(0),
          size: 0,
          isLatest: m.IsLatest ?? false,
          isDeleteMarker: true,
        })),
      ].sort(versionOrder);
      return {
        versions,
        nextToken: page.IsTruncated ? JSON.stringify([page.NextKeyMarker ?? '', page.NextVersionIdMarker]) : undefined,
      };
    },
    async encryption(bucket, key) {
      const head = await clientFor(bucket).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { serverSideEncryption: head.ServerSideEncryption, kmsKeyId: head.SSEKMSKeyId };
    },
    async tags(bucket, key) {
      const tagging = await clientFor(bucket).send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    },
  };
}

/** The enabled expirations of one live lifecycle rule, in the check's terms. */
export function toExpirationRule(rule: LifecycleRule): ExpirationRule | undefined {
  if (rule.Status !== 'Enabled' || (rule.Expiration?.Days === undefined && rule.Expiration?.Date === undefined))
    return undefined;
  const filter = rule.Filter;
  const tagList = filter?.Tag ? [filter.Tag] : (filter?.And?.Tags ?? []);
  const greaterThan = filter?.ObjectSizeGreaterThan ?? filter?.And?.ObjectSizeGreaterThan;
  const lessThan = filter?.ObjectSizeLessThan ?? filter?.And?.ObjectSizeLessThan;
  return {
    id: rule.ID ?? '(no id)',
    prefix: filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix ?? '',
    tags: Object.fromEntries(tagList.map((t) => [t.Key ?? '', t.Value ?? ''])),
    days: rule.Expiration.Days,
    date: rule.Expiration.Date,
    ...(greaterThan === undefined ? {} : { objectSizeGreaterThan: greaterThan }),
    ...(lessThan === undefined ? {} : { objectSizeLessThan: lessThan }),
  };
}

/** The bucket's live lifecycle expirations; none when the bucket has no lifecycle configuration. */
export async function liveExpirationRules(client: S3Client, bucket: string): Promise<ExpirationRule[]> {
  try {
    const config = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return (config.Rules ?? []).map(toExpirationRule).filter((rule): rule is ExpirationRule => rule !== undefined);
  } catch (error) {
    if (error instanceof S3ServiceException && error.name === 'NoSuchLifecycleConfiguration') return [];
    throw error;
  }
}

/** Writes one JSON document (the bucket's default encryption applies). */
export async function putJson(client: S3Client, bucket: string, key: string, body: unknown): Promise<void> {
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(body, null, 2),
      ContentType: 'application/json',
    }),
  );
}
