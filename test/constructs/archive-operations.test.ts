/* eslint-disable @typescript-eslint/no-explicit-any -- walks the synthesized template's untyped JSON */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { namedQueries } from '../../lib/athena/named-queries';
import { GENESYS_EXPORT_LAYOUT } from '../../lib/config';
import { buildEnvironment, configWith } from '../support/app';

const BUCKET = 'RecordingBucketRecordings626F58B9';
const LOG_BUCKET = 'RecordingBucketAccessLogs7A574211';
const OPERATIONS_KEY = 'OperationsKeyC8E359A5';
const ARCHIVE_KEY = 'ArchiveKey5FADDB58';
const BATCH_ROLE = 'OperationsBatchOperationsRoleFC13D988';
const ORG = '00000000-0000-4000-8000-000000000000';

const sample = buildEnvironment('sample');
const template = Template.fromStack(sample.stacks.archive);
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
const ofType = (type: string) => Object.entries(json.Resources).filter(([, r]) => r.Type === type);
const statements = (policyId: string) =>
  json.Resources[policyId].Properties.PolicyDocument.Statement as Record<string, unknown>[];
const bucketStatements = () =>
  ofType('AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket).includes(BUCKET))![1].Properties
    .PolicyDocument.Statement as Record<string, unknown>[];
const lifecycle = (bucket: string) =>
  json.Resources[bucket].Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];

describe('sidecar table', () => {
  const [, table] = ofType('AWS::Glue::Table').find(([, r]) => r.Properties.TableInput.Name === 'recording_sidecars')!;
  const input = table.Properties.TableInput;

  test('partition projection follows the Genesys export layout under the prefix', () => {
    expect(input.PartitionKeys).toEqual(
      ['org', 'year', 'month', 'day', 'hour'].map((Name) => ({ Name, Type: 'string' })),
    );
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.org.type': 'enum',
      'projection.org.values': ORG,
      'projection.year.type': 'integer',
      'projection.year.range': '2020,2100',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'projection.day.range': '1,31',
      'projection.day.digits': '2',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    const template = JSON.stringify(input.Parameters['storage.location.template']);
    expect(template).toContain('"/recordings/${org}/year=${year}/month=${month}/day=${day}/hour=${hour}/"');
    // The same segments, in the same order, as the layout the config validates (T3).
    const layout = GENESYS_EXPORT_LAYOUT.replace('{orgId}', '${org}')
      .replace('{yyyy}', '${year}')
      .replace('{mm}', '${month}')
      .replace('{dd}', '${day}')
      .replace('{hh}', '${hour}')
      .replace('conversation_id={conversationId}/', '');
    expect(template).toContain(`/recordings/${layout}`);
  });

  test('reads the sidecars as JSON, skipping the recordings that share their folders', () => {
    expect(input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      Parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
    });
    expect(input.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
      'mediatype',
      'mediasubtype',
      'provider',
      'userids',
      'queueids',
    ]);
    expect(table).toMatchObject({ DeletionPolicy: 'Retain' });
  });
});

describe('Athena workgroup', () => {
  test('enforces SSE-KMS results with the operations key under athena-results/ of the access-log bucket', () => {
    template.hasResource('AWS::Athena::WorkGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        Name: 'recording-archive-sample',
        RecursiveDeleteOption: false,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: LOG_BUCKET }, '/athena-results/']] },
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [OPERATIONS_KEY, 'Arn'] } },
          },
        },
      },
    });
  });

  test("results expire after their own days, not the access logs'", () => {
    expect(lifecycle(LOG_BUCKET)).toContainEqual(
      expect.objectContaining({
        Id: 'athena-results-expiry',
        Prefix: 'athena-results/',
        ExpirationInDays: 7,
        Status: 'Enabled',
      }),
    );
    const prod = Template.fromStack(buildEnvironment('prod').stacks.archive).toJSON();
    expect(prod.Resources[LOG_BUCKET].Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Id: 'athena-results-expiry', ExpirationInDays: 30 }),
    );
  });

  test('holds one named query per SQL file, with its SQL as committed', () => {
    const queries = ofType('AWS::Athena::NamedQuery').map(([, r]) => r.Properties);
    expect(queries.map((q) => q.Name)).toEqual(namedQueries().map((q) => q.name));
    for (const q of namedQueries()) {
      expect(queries.find((x) => x.Name === q.name)).toMatchObject({
        QueryString: q.sql,
        WorkGroup: 'recording-archive-sample',
        Database: 'recording_archive_sample',
      });
    }
  });
});

describe('Batch Operations role', () => {
  test('is trusted by S3 Batch Operations of this account only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'batchoperations.s3.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          },
        ],
      },
    });
  });

  test('without recordIntoArchive it holds and restores under the recordings prefix only', () => {
    const prod = Template.fromStack(buildEnvironment('prod').stacks.archive).toJSON() as typeof json;
    const [, policy] = Object.entries(prod.Resources).find(
      ([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties.Roles).includes(BATCH_ROLE),
    )!;
    const hold = (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).find(
      (st) => st.Sid === 'HoldAndRestoreRecordings',
    );
    expect(JSON.stringify(hold?.Resource)).toMatch(/"\/recordings\/\*"\]\]\}$/);
    expect(JSON.stringify(hold?.Resource)).not.toContain('connect/');
  });

  test('may hold and restore recordings, read manifests and write reports, and nothing else', () => {
    const [[policyId]] = ofType('AWS::IAM::ManagedPolicy').filter(([, r]) =>
      JSON.stringify(r.Properties.Roles).includes(BATCH_ROLE),
    );
    const arn = (suffix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, suffix]] });
    expect(statements(policyId)).toEqual([
      {
        Sid: 'HoldAndRestoreRecordings',
        Effect: 'Allow',
        Action: ['s3:PutObjectLegalHold', 's3:RestoreObject'],
        // The sample records Connect into the archive: its connect/ prefix too (bulk holds of contacts).
        Resource: [arn('/connect/*'), arn('/recordings/*')],
      },
      {
        Sid: 'ReadManifests',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: arn('/batch/*'),
      },
      { Sid: 'WriteCompletionReports', Effect: 'Allow', Action: 's3:PutObject', Resource: arn('/batch/reports/*') },
      {
        Sid: 'LocateBucket',
        Effect: 'Allow',
        Action: 's3:GetBucketLocation',
        Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] },
      },
      {
        Sid: 'UseArchiveKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [ARCHIVE_KEY, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('manifests and reports expire, no sooner than Object Lock lets them', () => {
    expect(lifecycle(BUCKET)).toContainEqual(
      expect.objectContaining({
        Id: 'batch-manifests-expiry',
        Prefix: 'batch/',
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      }),
    );
    const days = (batchManifestDays: number) => {
      const config = configWith('sample', (c) => ({ ...c, operations: { ...c.operations, batchManifestDays } }));
      const rules = Template.fromStack(buildEnvironment('sample', {}, config).stacks.archive).toJSON().Resources[BUCKET]
        .Properties.LifecycleConfiguration.Rules as { Id: string; ExpirationInDays?: number }[];
      return rules.find((r) => r.Id === 'batch-manifests-expiry')?.ExpirationInDays;
    };
    // The sample's Object Lock keeps every version 30 days.
    expect(days(10)).toBe(30);
    expect(days(45)).toBe(45);
  });
});

describe('legal hold', () => {
  test('the bucket policy denies PutObjectLegalHold to everyone but the hold roles and the Batch Operations role', () => {
    expect(bucketStatements()).toContainEqual({
      Sid: 'DenyLegalHoldExceptHoldRoles',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObjectLegalHold',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/*']] },
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': [
            'arn:aws:iam::111111111111:role/recording-archive-legal-hold',
            { 'Fn::GetAtt': [BATCH_ROLE, 'Arn'] },
          ],
        },
      },
    });
  });

  test('the holds log is kept: only noncurrent versions and uploads are cleaned up', () => {
    const rule = lifecycle(BUCKET).find((r) => r.Id === 'holds-log-cleanup');
    expect(rule).toEqual({
      Id: 'holds-log-cleanup',
      Prefix: 'holds/',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
  });
});

describe('recording-reader role', () => {
  const [[policyId]] = ofType('AWS::IAM::ManagedPolicy').filter(([, r]) =>
    JSON.stringify(r.Properties.Roles).includes('OperationsReaderRole'),
  );

  test('is assumed by the named auditor roles', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: 'arn:aws:iam::111111111111:role/recording-archive-auditor' },
          }),
        ],
      },
    });
  });

  test('reads, restores and presigns under the prefix; no delete, no hold, no retention change', () => {
    const all = statements(policyId);
    const actions = all.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.sort()).toEqual(
      [
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:GetObjectTagging',
        's3:GetObjectVersionTagging',
        's3:GetObjectRetention',
        's3:GetObjectLegalHold',
        's3:RestoreObject',
        'kms:Decrypt',
      ].sort(),
    );
    expect(all.find((s) => s.Sid === 'ListRecordings')).toMatchObject({
      Condition: { StringLike: { 's3:prefix': ['recordings/*'] } },
    });
    expect(all.find((s) => s.Sid === 'ReadAndRestoreRecordings')).toMatchObject({
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/recordings/*']] },
    });
  });

  test('is not created when the environment names no auditor role', () => {
    const without = configWith('sample', (c) => ({ ...c, operations: { ...c.operations, readerRole: undefined } }));
    const t = Template.fromStack(buildEnvironment('sample', {}, without).stacks.archive).toJSON();
    expect(Object.keys(t.Resources).filter((id) => id.startsWith('OperationsReader'))).toEqual([]);
  });
});
