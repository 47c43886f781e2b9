import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { ArchiveConfig } from '../config';

/** What the archive's lifecycle is built from (already validated against S3's rules). */
export interface ArchiveLifecycleProps {
  /** Prefix every rule is scoped to, ending with `/`. */
  readonly prefix: string;
  /** Prefix-wide expiration: the compliance window. */
  readonly retentionDays: number;
  readonly standardIaDays: number;
  readonly glacierDays: number;
  readonly deepArchiveDays: number;
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteMultipartUploadDays: number;
  /** Tag key the Connect tagger writes. */
  readonly retentionTagKey: string;
  /** Retention class name -> days. */
  readonly retentionClasses: Readonly<Record<string, number>>;
}

/** The archive's lifecycle props from the config: the archive and its replica both use exactly these. */
export function archiveLifecycleProps(config: ArchiveConfig): ArchiveLifecycleProps {
  return {
    prefix: config.recordingsPrefix,
    retentionDays: config.compliance.retentionDays,
    standardIaDays: config.lifecycle.standardIaDays,
    glacierDays: config.lifecycle.glacierDays,
    deepArchiveDays: config.lifecycle.deepArchiveDays,
    noncurrentVersionExpirationDays: config.lifecycle.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays: config.lifecycle.abortIncompleteMultipartUploadDays,
    retentionTagKey: config.retention.tagKey,
    retentionClasses: config.retention.classes,
  };
}

/** Rule IDs are stable so `cdk diff` shows a changed rule, not a replaced one. */
export const LIFECYCLE_RULE_IDS = {
  window: 'archive-window',
  cleanup: 'archive-cleanup',
  retentionClass: (name: string) => `retention-class-${name}`,
} as const;

/**
 * The archive's lifecycle: transitions and expiration at the compliance window, noncurrent
 * versions always expired (T1), delete-marker and multipart cleanup in a rule without a tag
 * filter (S3 refuses both in tag-filtered rules), and one tag-filtered expiration per class.
 */
export function archiveLifecycleRules(props: ArchiveLifecycleProps): s3.LifecycleRule[] {
  const noncurrentVersionExpiration = Duration.days(props.noncurrentVersionExpirationDays);
  const rules: s3.LifecycleRule[] = [
    {
      id: LIFECYCLE_RULE_IDS.window,
      prefix: props.prefix,
      transitions: [
        { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(props.standardIaDays) },
        { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(props.glacierDays) },
        { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(props.deepArchiveDays) },
      ],
      expiration: Duration.days(props.retentionDays),
      noncurrentVersionExpiration,
    },
    {
      // S3 refuses ExpiredObjectDeleteMarker next to Days, so cleanup is a rule of its own.
      id: LIFECYCLE_RULE_IDS.cleanup,
      prefix: props.prefix,
      expiredObjectDeleteMarker: true,
      abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteMultipartUploadDays),
      noncurrentVersionExpiration,
    },
  ];
  for (const [name, days] of Object.entries(props.retentionClasses)) {
    rules.push({
      id: LIFECYCLE_RULE_IDS.retentionClass(name),
      prefix: props.prefix,
      tagFilters: { [props.retentionTagKey]: name },
      expiration: Duration.days(days),
      noncurrentVersionExpiration,
    });
  }
  return rules;
}

/** What the lifecycle of the archive's `reports/` prefix is built from. */
export interface ReportLifecycleProps {
  /** Prefix of the pointer-integrity reports, ending with `/`. */
  readonly integrityReportPrefix: string;
  /** Days a pointer-integrity report is kept. */
  readonly integrityReportDays: number;
}

/** Rule IDs of the reports prefix, stable like the archive's. */
export const REPORT_LIFECYCLE_RULE_IDS = {
  integrity: 'reports-pointer-integrity',
  cleanup: 'reports-cleanup',
} as const;

/**
 * Expiration of the integrity reports (Object Lock's default retention still keeps each version
 * until its lock lapses), and delete-marker and multipart cleanup under `reports/`.
 */
export function reportLifecycleRules(props: ReportLifecycleProps): s3.LifecycleRule[] {
  const noncurrentVersionExpiration = Duration.days(1);
  return [
    {
      id: REPORT_LIFECYCLE_RULE_IDS.integrity,
      prefix: props.integrityReportPrefix,
      expiration: Duration.days(props.integrityReportDays),
      noncurrentVersionExpiration,
    },
    {
      id: REPORT_LIFECYCLE_RULE_IDS.cleanup,
      prefix: 'reports/',
      expiredObjectDeleteMarker: true,
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      noncurrentVersionExpiration,
    },
  ];
}

/** A lifecycle rule as PutBucketLifecycleConfiguration takes it (the merge-only custom resource writes these). */
export interface S3LifecycleRule {
  readonly ID: string;
  readonly Status: 'Enabled';
  readonly Filter:
    | { readonly Prefix: string }
    | {
        readonly And: {
          readonly Prefix: string;
          readonly Tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
        };
      };
  readonly Transitions?: ReadonlyArray<{ readonly Days: number; readonly StorageClass: string }>;
  readonly Expiration?: { readonly Days: number } | { readonly ExpiredObjectDeleteMarker: true };
  readonly NoncurrentVersionExpiration?: { readonly NoncurrentDays: number };
  readonly AbortIncompleteMultipartUpload?: { readonly DaysAfterInitiation: number };
}

/**
 * The same rules in the S3 API's shape, their IDs prefixed, for a bucket this app does not own
 * (the merge-only custom resource writes them). Refuses what it cannot express as S3 writes it.
 */
export function toS3LifecycleRules(rules: readonly s3.LifecycleRule[], idPrefix: string): S3LifecycleRule[] {
  return rules.map((rule) => {
    if (!rule.id || rule.prefix === undefined)
      throw new Error('toS3LifecycleRules needs an id and a prefix on every rule.');
    const tags = Object.entries(rule.tagFilters ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) }));
    const out: {
      -readonly [K in keyof S3LifecycleRule]: S3LifecycleRule[K];
    } = {
      ID: `${idPrefix}${rule.id}`,
      Status: 'Enabled',
      Filter: tags.length > 0 ? { And: { Prefix: rule.prefix, Tags: tags } } : { Prefix: rule.prefix },
    };
    if (rule.transitions?.length) {
      out.Transitions = rule.transitions.map((t) => {
        if (!t.transitionAfter) throw new Error(`The rule ${rule.id} has a transition without days.`);
        return { Days: t.transitionAfter.toDays(), StorageClass: t.storageClass.value };
      });
    }
    if (rule.expiration) out.Expiration = { Days: rule.expiration.toDays() };
    else if (rule.expiredObjectDeleteMarker) out.Expiration = { ExpiredObjectDeleteMarker: true };
    if (rule.noncurrentVersionExpiration)
      out.NoncurrentVersionExpiration = { NoncurrentDays: rule.noncurrentVersionExpiration.toDays() };
    if (rule.abortIncompleteMultipartUploadAfter) {
      out.AbortIncompleteMultipartUpload = { DaysAfterInitiation: rule.abortIncompleteMultipartUploadAfter.toDays() };
    }
    return out;
  });
}
