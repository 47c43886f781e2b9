import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

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
