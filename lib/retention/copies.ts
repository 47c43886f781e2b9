import * as s3 from 'aws-cdk-lib/aws-s3';
import type { ExpirationRule } from '../../lambda/pointer-integrity/reconcile';
import { ArchiveConfig, CONNECT_ARCHIVE_PREFIX, replicaTarget } from '../config';
import { connectArchiveLifecycleRules } from '../constructs/connect-archive-access';
import { connectLifecycleRules } from '../constructs/connect-bucket-lifecycle';
import { S3LifecycleRule, archiveLifecycleProps, archiveLifecycleRules } from '../constructs/lifecycle-rules';
import type { CopyName } from './timeline';

/**
 * One copy whose over-retention the integrity check measures: the expirations its lifecycle is
 * built with (by the same functions that build the lifecycle) and its noncurrent days.
 */
export interface MeasuredCopy {
  readonly copy: CopyName;
  /** The bucket's name; undefined for the archive bucket, which the stack names. */
  readonly bucketName?: string;
  /** The bucket's region when it is not the archive's (the replica). @default - the archive's region */
  readonly region?: string;
  readonly noncurrentDays: number;
  readonly rules: readonly ExpirationRule[];
  /**
   * How the check lists it when no primary partition does: the export layout (the replica) or
   * Connect's layout under a prefix (Connect's bucket when Connect also records into the archive).
   * @default - listed by the primary partitions (the archive, and the Connect location whose tags are checked)
   */
  readonly list?: { readonly layout: 'genesys' } | { readonly layout: 'connect'; readonly prefix: string };
}

/** The expirations of CDK lifecycle rules, in the check's terms (rules without an expiration are left out). */
export function expirationsOf(rules: readonly s3.LifecycleRule[]): ExpirationRule[] {
  return rules.flatMap((rule) =>
    rule.expiration && rule.id
      ? [
          {
            id: rule.id,
            prefix: rule.prefix ?? '',
            tags: Object.fromEntries(Object.entries(rule.tagFilters ?? {}).map(([k, v]) => [k, String(v)])),
            days: rule.expiration.toDays(),
          },
        ]
      : [],
  );
}

/** The expirations of rules in the S3 API's shape (the merge-only custom resource's). */
export function expirationsOfS3(rules: readonly S3LifecycleRule[]): ExpirationRule[] {
  return rules.flatMap((rule) => {
    if (!rule.Expiration || !('Days' in rule.Expiration)) return [];
    const filter = rule.Filter;
    const prefix = 'Prefix' in filter ? filter.Prefix : filter.And.Prefix;
    const tags = 'And' in filter ? Object.fromEntries(filter.And.Tags.map((t) => [t.Key, t.Value])) : {};
    return [{ id: rule.ID, prefix, tags, days: rule.Expiration.Days }];
  });
}

/**
 * Every copy of a recording the integrity check can list, with the rules its lifecycle is built
 * with: the archive (recordings prefix and, with `connect.recordIntoArchive`, `connect/`), the
 * replica (app-owned or existing: the archive's rules), and Connect's own bucket.
 */
export function measuredCopies(config: ArchiveConfig): MeasuredCopy[] {
  const props = archiveLifecycleProps(config);
  // The recordings prefix holds Genesys exports, which carry no retention tag (the lock function
  // locks each for the window): the check measures them by the untagged rules, so the class rules
  // of that prefix are left out (Lambda's 4 KB of environment stays ample for many classes).
  const archiveRules = expirationsOf(archiveLifecycleRules(props)).filter((r) => Object.keys(r.tags).length === 0);
  const copies: MeasuredCopy[] = [
    {
      copy: 'archive',
      noncurrentDays: props.noncurrentVersionExpirationDays,
      rules: [
        ...archiveRules,
        ...expirationsOf(
          config.connect?.recordIntoArchive ? connectArchiveLifecycleRules(props, CONNECT_ARCHIVE_PREFIX) : [],
        ),
      ],
    },
  ];
  const replica = replicaTarget(config);
  if (replica) {
    copies.push({
      copy: 'replica',
      bucketName: replica.bucketName,
      region: replica.region,
      noncurrentDays: props.noncurrentVersionExpirationDays,
      rules: archiveRules,
      list: { layout: 'genesys' },
    });
  }
  const existing = config.connect?.existingRecordingBucket;
  if (existing) {
    copies.push({
      copy: 'connect-bucket',
      bucketName: existing.bucketName,
      noncurrentDays: existing.noncurrentVersionExpirationDays,
      rules: expirationsOfS3(
        connectLifecycleRules({
          envName: config.envName,
          prefix: existing.prefix,
          retentionTagKey: config.retention.tagKey,
          retentionClasses: config.retention.classes,
          noncurrentVersionExpirationDays: existing.noncurrentVersionExpirationDays,
        }),
      ),
      // With recordIntoArchive the check's Connect partitions are the archive's connect/.
      ...(config.connect?.recordIntoArchive ? { list: { layout: 'connect' as const, prefix: existing.prefix } } : {}),
    });
  }
  return copies;
}
