import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { INVENTORY_FIELDS, INVENTORY_ID, INVENTORY_PREFIX } from '../../lib/constructs/recording-inventory';
import { buildEnvironment } from '../support/app';

const BUCKET = 'RecordingBucketRecordings626F58B9';
const LOG_BUCKET = 'RecordingBucketAccessLogs7A574211';

const template = Template.fromStack(buildEnvironment('sample').stacks.archive);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const props = (id: string) => resources[id].Properties;

test('the archive bucket has a daily Parquet inventory of every version of the recordings prefix with the integrity fields', () => {
  expect(props(BUCKET).InventoryConfigurations).toEqual([
    {
      Id: 'recordings-daily',
      Enabled: true,
      Prefix: 'recordings/',
      ScheduleFrequency: 'Daily',
      // Every version: the over-retention query needs noncurrent versions and delete markers.
      IncludedObjectVersions: 'All',
      Destination: {
        BucketArn: { 'Fn::GetAtt': [LOG_BUCKET, 'Arn'] },
        BucketAccountId: '111111111111',
        Format: 'Parquet',
        Prefix: 'inventory/recordings',
      },
      OptionalFields: [
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
      ],
    },
  ]);
});

test('S3 may deliver the inventory into the access-log bucket, for this source bucket and account only', () => {
  const policy = Object.values(resources).find(
    (r) =>
      r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: LOG_BUCKET }),
  )!;
  const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
  expect(statements).toContainEqual(
    expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [BUCKET, 'Arn'] } } },
    }),
  );
  expect(statements).toContainEqual({
    Sid: 'DenyInventoryDeliveryForOtherAccounts',
    Effect: 'Deny',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [LOG_BUCKET, 'Arn'] }, '/inventory/recordings*']] },
    Condition: { StringNotEquals: { 'aws:SourceAccount': '111111111111' } },
  });
});

test('inventory files expire in the access-log bucket; reports expire in the archive; existing rule IDs keep their place', () => {
  const logRules = (props(LOG_BUCKET).LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
  expect(logRules).toContainEqual({
    Id: 'inventory-expiry',
    Prefix: 'inventory/recordings/',
    Status: 'Enabled',
    ExpirationInDays: 14,
    NoncurrentVersionExpiration: { NoncurrentDays: 1 },
  });
  const rules = (props(BUCKET).LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
  expect(rules.map((r) => r.Id)).toEqual([
    'archive-window',
    'archive-cleanup',
    'retention-class-short',
    'retention-class-long',
    // The sample records Connect calls into the archive (connect.recordIntoArchive): their rules.
    'connect-archive-window',
    'connect-archive-cleanup',
    'connect-retention-class-short',
    'connect-retention-class-long',
    // ... and the fallback of untagged Connect recordings, at the longest class.
    'connect-untagged-fallback',
    'reports-pointer-integrity',
    'reports-cleanup',
    // Added after them by the day-2 operations (lib/constructs/archive-operations.ts).
    'batch-manifests-expiry',
    'holds-log-cleanup',
  ]);
  expect(rules[9]).toEqual({
    Id: 'reports-pointer-integrity',
    Prefix: 'reports/pointer-integrity/',
    Status: 'Enabled',
    ExpirationInDays: 365,
    NoncurrentVersionExpiration: { NoncurrentDays: 1 },
  });
  expect(rules[10]).toMatchObject({
    Prefix: 'reports/',
    ExpiredObjectDeleteMarker: true,
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
  });
});

describe('Athena (lib/athena)', () => {
  const read = (name: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'athena', name), 'utf8');
  const table = read('recording-inventory-table.sql');
  const query = read('pointer-integrity.sql');
  const placeholders = (sql: string) => [...new Set([...sql.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();

  test('the table reads every inventory field from where the configuration delivers it', () => {
    for (const field of INVENTORY_FIELDS) {
      // Athena's inventory columns are the field names in snake case (ETag is e_tag).
      const column = field === 'ETag' ? 'e_tag' : field.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
      expect(table).toMatch(new RegExp(`^\\s+${column} (string|bigint|timestamp),?$`, 'm'));
    }
    expect(table).toContain(
      `LOCATION 's3://{{inventory_bucket}}/${INVENTORY_PREFIX}/{{archive_bucket}}/${INVENTORY_ID}/hive/'`,
    );
    expect(table).toContain("'projection.enabled' = 'true'");
    expect(placeholders(table)).toEqual(['archive_bucket', 'inventory_bucket']);
  });

  test('every version is inventoried: the table has the version columns, and the current-version queries keep to the latest', () => {
    expect(table).toMatch(/^\s+version_id string,$/m);
    expect(table).toMatch(/^\s+is_latest boolean,$/m);
    expect(table).toMatch(/^\s+is_delete_marker boolean,$/m);
    expect(query).toContain('AND is_latest AND NOT is_delete_marker');
    expect(read('search/recordings-without-sidecar.sql')).toContain('AND is_latest AND NOT is_delete_marker');
    // The Glue table the stack creates has the same columns as the DDL, in its order.
    const glue = Object.values(resources).find(
      (r) => r.Type === 'AWS::Glue::Table' && JSON.stringify(r).includes('inventory'),
    )!;
    const columns = (glue.Properties.TableInput as { StorageDescriptor: { Columns: { Name: string; Type: string }[] } })
      .StorageDescriptor.Columns;
    const ddl = [...table.matchAll(/^\s+(\w+) (string|bigint|timestamp|boolean),?$/gm)].map((m) => ({
      Name: m[1],
      Type: m[2],
    }));
    expect(columns).toEqual(ddl);
  });

  test('the query holds the same checks as the function, over one inventory day of the organization', () => {
    for (const finding of [
      'RecordingWithoutSidecar',
      'SidecarWithoutRecording',
      'NotEncryptedWithArchiveKey',
      'ExpiresBeforePlatformWindow',
    ]) {
      expect(query).toContain(`'${finding}'`);
    }
    expect(query).toContain("WHERE dt = '{{dt}}'");
    expect(query).toContain("key LIKE '{{recordings_prefix}}{{org_id}}/%'");
    expect(query).toContain("regexp_like(key, '_metadata\\.json$')");
    expect(query).toContain("coalesce(encryption_status, '') <> 'SSE-KMS'");
    expect(query).toContain(
      "lifecycle_expiration_date < date_add('day', {{platform_retention_days}}, last_modified_date)",
    );
    expect(placeholders(query)).toEqual(['dt', 'org_id', 'platform_retention_days', 'recordings_prefix']);
  });
});
