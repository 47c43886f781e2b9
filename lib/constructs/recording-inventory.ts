import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INTEGRITY_REPORT_PREFIX } from './pointer-integrity-check';
import { reportLifecycleRules } from './lifecycle-rules';

/** Where S3 delivers the inventory in the destination bucket (S3 appends `<source bucket>/<inventory id>/`). */
export const INVENTORY_PREFIX = 'inventory/recordings';
/** The inventory configuration's id. */
export const INVENTORY_ID = 'recordings-daily';
/** Lifecycle rule that expires inventory files in the destination bucket. */
export const INVENTORY_LIFECYCLE_RULE_ID = 'inventory-expiry';
/**
 * Inventory fields the Athena reconciliation reads: size and dates for T4, encryption and
 * Bucket Key status for the key check, Object Lock fields for immutability, and S3's own
 * computed lifecycle expiration date.
 */
export const INVENTORY_FIELDS = [
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'ETag',
  'EncryptionStatus',
  'BucketKeyStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'LifecycleExpirationDate',
] as const;

/** Props for {@link RecordingInventory}. */
export interface RecordingInventoryProps {
  /** The archive bucket: the inventory's source, and where the integrity reports live. */
  readonly bucket: s3.Bucket;
  /** The access-log bucket: the inventory's destination (no Object Lock, SSE-S3, in this stack). */
  readonly destination: s3.Bucket;
  /** Prefix of every recording, ending with `/`: only it is inventoried. */
  readonly recordingsPrefix: string;
  /** Days an inventory file is kept. */
  readonly inventoryDays: number;
  /** Days a pointer-integrity report is kept. */
  readonly integrityReportDays: number;
}

/**
 * A daily Parquet S3 Inventory of the recordings prefix for the Athena reconciliation
 * (lib/athena/), delivered to the access-log bucket, and the lifecycle of the archive's
 * `reports/` prefix. Adds to the buckets' configurations only; no logical ID changes.
 */
export class RecordingInventory extends Construct {
  constructor(scope: Construct, id: string, props: RecordingInventoryProps) {
    super(scope, id);

    // Not into the archive bucket itself: a bucket naming its own ARN in its inventory is a
    // CloudFormation cycle, and Object Lock would keep every daily inventory for the lock period.
    props.bucket.addInventory({
      inventoryId: INVENTORY_ID,
      destination: { bucket: props.destination, prefix: INVENTORY_PREFIX, bucketOwner: Stack.of(this).account },
      objectsPrefix: props.recordingsPrefix,
      format: s3.InventoryFormat.PARQUET,
      frequency: s3.InventoryFrequency.DAILY,
      // Every version and delete marker (adds VersionId, IsLatest, IsDeleteMarker): over-retention
      // (lib/athena/over-retention.sql) is about noncurrent versions too; the other queries keep to
      // current versions.
      includeObjectVersions: s3.InventoryObjectVersion.ALL,
      optionalFields: [...INVENTORY_FIELDS],
    });
    // CDK's delivery grant names the source bucket only; AWS also asks for the source account
    // against confused deputies.
    props.destination.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyInventoryDeliveryForOtherAccounts',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.destination.arnForObjects(`${INVENTORY_PREFIX}*`)],
        conditions: { StringNotEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    props.destination.addLifecycleRule({
      id: INVENTORY_LIFECYCLE_RULE_ID,
      prefix: `${INVENTORY_PREFIX}/`,
      expiration: Duration.days(props.inventoryDays),
      noncurrentVersionExpiration: Duration.days(1),
    });

    for (const rule of reportLifecycleRules({
      integrityReportPrefix: INTEGRITY_REPORT_PREFIX,
      integrityReportDays: props.integrityReportDays,
    })) {
      props.bucket.addLifecycleRule(rule);
    }
  }
}
