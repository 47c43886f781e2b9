import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildEnvironment, configWith } from '../support/app';

const KEY = 'ArchiveKey5FADDB58';
const BUCKET = 'RecordingBucketRecordings626F58B9';
const LOG_BUCKET = 'RecordingBucketAccessLogs7A574211';
const ROLE = 'GenesysAccessRole6296CBC6';

const sample = buildEnvironment('sample');
const template = Template.fromStack(sample.stacks.archive);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const props = (logicalId: string) => resources[logicalId].Properties;

/** Statements of the one policy document attached to a resource of the given type. */
function statementsOf(type: string, match: (p: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const found = Object.values(resources).filter((r) => r.Type === type && match(r.Properties));
  expect(found).toHaveLength(1);
  const doc = (found[0].Properties.PolicyDocument ?? found[0].Properties.KeyPolicy) as {
    Statement: Record<string, unknown>[];
  };
  return doc.Statement;
}
const bySid = (statements: Record<string, unknown>[], sid: string) => {
  const s = statements.find((x) => x.Sid === sid);
  expect(s).toBeDefined();
  return s!;
};

describe('archive KMS key', () => {
  test('rotates yearly, is retained and has an alias for people', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, RotationPeriodInDays: 365 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/recording-archive/sample',
      TargetKeyId: { 'Fn::GetAtt': [KEY, 'Arn'] },
    });
  });

  test('key policy lets the Genesys role use the key only through S3 in this region', () => {
    const statements = (props(KEY).KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(bySid(statements, 'AllowGenesysRoleThroughS3')).toEqual({
      Sid: 'AllowGenesysRoleThroughS3',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [ROLE, 'Arn'] } },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    expect(bySid(statements, 'DenyGenesysRoleOutsideS3')).toEqual({
      Sid: 'DenyGenesysRoleOutsideS3',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:*',
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [ROLE, 'Arn'] } },
        StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      },
    });
  });
});

describe('break-glass guardrails', () => {
  const breakGlass = ['arn:aws:iam::111111111111:role/recording-archive-break-glass'];

  test('only the break-glass roles may schedule the deletion of the archive key or disable it', () => {
    const statements = (props(KEY).KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(bySid(statements, 'DenyKeyDeletionExceptBreakGlass')).toEqual({
      Sid: 'DenyKeyDeletionExceptBreakGlass',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlass } },
    });
  });

  test('only the break-glass roles may bypass governance retention', () => {
    const statements = statementsOf('AWS::S3::BucketPolicy', (p) => (p.Bucket as { Ref: string }).Ref === BUCKET);
    expect(bySid(statements, 'DenyGovernanceBypassExceptBreakGlass')).toEqual({
      Sid: 'DenyGovernanceBypassExceptBreakGlass',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:BypassGovernanceRetention',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/*']] },
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlass } },
    });
  });

  test('without break-glass roles nobody may bypass governance or delete the key', () => {
    const config = configWith('sample', (c) => ({ ...c, breakGlassRoleNames: [] }));
    const t = Template.fromStack(buildEnvironment('sample', {}, config).stacks.archive).toJSON();
    const all = Object.values(
      t.Resources as Record<string, { Properties: Record<string, { Statement?: Record<string, unknown>[] }> }>,
    ).flatMap((r) => [r.Properties?.PolicyDocument?.Statement ?? [], r.Properties?.KeyPolicy?.Statement ?? []].flat());
    const guardrails = all.filter(
      (st) => st.Sid === 'DenyKeyDeletionExceptBreakGlass' || st.Sid === 'DenyGovernanceBypassExceptBreakGlass',
    );
    expect(guardrails.map((st) => st.Sid).sort()).toEqual([
      'DenyGovernanceBypassExceptBreakGlass',
      'DenyKeyDeletionExceptBreakGlass',
    ]);
    // No exception: the deny applies to every principal.
    expect(guardrails.map((st) => st.Condition)).toEqual([undefined, undefined]);
    expect(all.filter((st) => JSON.stringify(st.Condition ?? {}).includes('break-glass'))).toEqual([]);
  });
});

describe('recording bucket', () => {
  test('publishes request metrics of the recordings prefix for the silence and denied-writes alarms', () => {
    expect(props(BUCKET).MetricsConfigurations).toEqual([{ Id: 'recordings', Prefix: 'recordings/' }]);
  });

  test('is versioned, Object Locked with the configured default retention, and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
        },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('encrypts with the archive key and S3 Bucket Keys', () => {
    expect(props(BUCKET).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [KEY, 'Arn'] } },
        },
      ],
    });
  });

  test('blocks public access, enforces bucket-owner ownership and logs to the access-log bucket', () => {
    expect(props(BUCKET).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props(BUCKET).OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(props(BUCKET).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: LOG_BUCKET },
      LogFilePrefix: 'recordings-bucket/',
    });
  });

  test('lifecycle: transitions, expiration at the window, noncurrent expiry, cleanup, one rule per retention class', () => {
    const lifecycle = props(BUCKET).LifecycleConfiguration as {
      Rules: Record<string, unknown>[];
      TransitionDefaultMinimumObjectSize: string;
    };
    expect(lifecycle.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    // The sample has connect.recordIntoArchive: the same rules again for connect/, under their own IDs.
    const archiveRules = lifecycle.Rules.filter((r) => !String(r.Id).startsWith('connect-'));
    // ... and a fallback for untagged Connect recordings at the longest class (90 days) in a rule of its own.
    expect(lifecycle.Rules.filter((r) => r.Id === 'connect-untagged-fallback')).toEqual([
      {
        Id: 'connect-untagged-fallback',
        Prefix: 'connect/',
        Status: 'Enabled',
        ExpirationInDays: 90,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
    expect(
      lifecycle.Rules.filter((r) => String(r.Id).startsWith('connect-') && r.Id !== 'connect-untagged-fallback'),
    ).toEqual(
      archiveRules
        .filter((r) => r.Prefix === 'recordings/')
        .map((r) => ({ ...r, Id: `connect-${String(r.Id)}`, Prefix: 'connect/' })),
    );
    expect(archiveRules).toEqual([
      {
        Id: 'archive-window',
        Prefix: 'recordings/',
        Status: 'Enabled',
        Transitions: [
          { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
          { StorageClass: 'GLACIER', TransitionInDays: 90 },
          { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 },
        ],
        ExpirationInDays: 730,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      {
        Id: 'archive-cleanup',
        Prefix: 'recordings/',
        Status: 'Enabled',
        ExpiredObjectDeleteMarker: true,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      {
        Id: 'retention-class-short',
        Prefix: 'recordings/',
        Status: 'Enabled',
        TagFilters: [{ Key: 'retention', Value: 'short' }],
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      {
        Id: 'retention-class-long',
        Prefix: 'recordings/',
        Status: 'Enabled',
        TagFilters: [{ Key: 'retention', Value: 'long' }],
        ExpirationInDays: 90,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      // The pointer-integrity reports (lib/constructs/recording-inventory.ts).
      {
        Id: 'reports-pointer-integrity',
        Prefix: 'reports/pointer-integrity/',
        Status: 'Enabled',
        ExpirationInDays: 365,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      {
        Id: 'reports-cleanup',
        Prefix: 'reports/',
        Status: 'Enabled',
        ExpiredObjectDeleteMarker: true,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      // S3 Batch Operations manifests and reports, and the holds log (lib/constructs/archive-operations.ts).
      {
        Id: 'batch-manifests-expiry',
        Prefix: 'batch/',
        Status: 'Enabled',
        ExpirationInDays: 30,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      {
        Id: 'holds-log-cleanup',
        Prefix: 'holds/',
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
  });

  test('no tag-filtered rule holds a delete-marker cleanup or a multipart abort (S3 refuses both)', () => {
    const rules = (props(BUCKET).LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    for (const rule of rules.filter((r) => r.TagFilters)) {
      expect(rule).not.toHaveProperty('ExpiredObjectDeleteMarker');
      expect(rule).not.toHaveProperty('AbortIncompleteMultipartUpload');
    }
  });

  test('sec-17a-4 locks every version in COMPLIANCE mode for the whole window', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      compliance: { preset: 'sec-17a-4' },
      objectLock: { mode: 'COMPLIANCE', defaultRetentionDays: 2555 },
      genesys: { ...c.genesys, platformRetentionDays: 2555 },
      retention: { classes: { regulated: 2555 }, defaultClass: 'regulated' },
      // The demo flow offers two classes; this environment has one.
      connect: { ...c.connect, demoFlow: undefined },
    }));
    const t = Template.fromStack(buildEnvironment('sample', {}, config).stacks.archive);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } },
      },
      LifecycleConfiguration: Match.objectLike({
        Rules: Match.arrayWith([Match.objectLike({ Id: 'archive-window', ExpirationInDays: 2555 })]),
      }),
    });
  });
});

describe('bucket policy', () => {
  const statements = statementsOf('AWS::S3::BucketPolicy', (p) => (p.Bucket as { Ref: string }).Ref === BUCKET);

  test('denies every request without TLS, and TLS below 1.2', () => {
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    );
  });

  test("denies the Genesys role's writes from outside the committed CIDRs (Deny + NotIpAddress)", () => {
    expect(bySid(statements, 'DenyGenesysWritesOutsideAllowedCidrs')).toEqual({
      Sid: 'DenyGenesysWritesOutsideAllowedCidrs',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:PutObject', 's3:PutObjectAcl'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/*']] },
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [ROLE, 'Arn'] } },
        NotIpAddress: { 'aws:SourceIp': sample.config.genesys.allowedCidrs.cidrs },
      },
    });
  });

  test('denies uploads asking for another encryption or another key, but not header-less uploads', () => {
    expect(bySid(statements, 'DenyUploadsWithOtherEncryption').Condition).toEqual({
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    });
    expect(bySid(statements, 'DenyUploadsWithOtherKmsKey').Condition).toEqual({
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [KEY, 'Arn'] } },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
    });
  });

  test('has no Allow statement: access comes from identity policies only', () => {
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });
});

describe('access-log bucket', () => {
  test('is SSE-S3 (S3 delivers access logs only there), TLS-only, private, versioned, expiring, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'access-log-retention',
              Status: 'Enabled',
              ExpirationInDays: 365,
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
            { Id: 'access-log-cleanup', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
            // The daily S3 Inventory of the recordings (lib/constructs/recording-inventory.ts).
            {
              Id: 'inventory-expiry',
              Prefix: 'inventory/recordings/',
              Status: 'Enabled',
              ExpirationInDays: 14,
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            },
            // Athena search results (lib/constructs/recording-search.ts).
            {
              Id: 'athena-results-expiry',
              Prefix: 'athena-results/',
              Status: 'Enabled',
              ExpirationInDays: 7,
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            },
          ],
        },
      }),
      DeletionPolicy: 'Retain',
    });
    const logStatements = statementsOf(
      'AWS::S3::BucketPolicy',
      (p) => (p.Bucket as { Ref: string }).Ref === LOG_BUCKET,
    );
    expect(logStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    expect(logStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
        }),
      ]),
    );
  });
});

describe('Genesys access role', () => {
  test('is trusted only by the Genesys account with the organization id as external id', () => {
    expect(props(ROLE).AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: 'arn:aws:iam::765628985471:root' },
          Condition: { StringEquals: { 'sts:ExternalId': '00000000-0000-4000-8000-000000000000' } },
        },
      ],
    });
  });

  test('may put (with the owner ACL only) and list under the prefix, read the bucket location and encryption and use the key through S3, nothing else', () => {
    const statements = statementsOf('AWS::IAM::ManagedPolicy', (p) => JSON.stringify(p.Roles).includes(ROLE));
    expect(statements).toEqual([
      {
        Sid: 'WriteRecordings',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/recordings/*']] },
      },
      {
        Sid: 'WriteRecordingsWithOwnerAcl',
        Effect: 'Allow',
        Action: 's3:PutObjectAcl',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/recordings/*']] },
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
      {
        Sid: 'ListRecordings',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['recordings/*'] } },
      },
      {
        Sid: 'ReadBucketLocation',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration'],
        Resource: { 'Fn::GetAtt': [BUCKET, 'Arn'] },
      },
      {
        Sid: 'UseArchiveKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [KEY, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('no identity policy of the stack allows deleting, ACLs, retention changes or governance bypass, even by wildcard', () => {
    // s3:PutObjectAcl is granted once, to the Genesys role, only for x-amz-acl bucket-owner-full-control
    // (asserted above and in test/access); every other statement stays without it.
    const forbidden = [
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutObjectAcl',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:BypassGovernanceRetention',
      's3:PutBucketPolicy',
      's3:PutLifecycleConfiguration',
    ];
    // IAM action patterns: `*` matches any run of characters, case-insensitively.
    const matches = (pattern: string, action: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
    const allowedBy = (keep: (roles: string) => boolean) =>
      Object.values(resources)
        .filter(
          (r) =>
            (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') &&
            keep(JSON.stringify(r.Properties.Roles)),
        )
        .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
        .filter((st) => st.Effect === 'Allow')
        .filter(
          (st) =>
            !(
              st.Sid === 'WriteRecordingsWithOwnerAcl' &&
              JSON.stringify(st.Condition) ===
                JSON.stringify({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }) &&
              st.Action === 's3:PutObjectAcl'
            ),
        )
        .flatMap((st) => [st.Action].flat() as string[]);
    const grantedBy = (allowed: string[]) =>
      forbidden.filter((action) => allowed.some((pattern) => matches(pattern, action)));
    // The Batch Operations role places the holds of bulk jobs, and nothing else on the list.
    const batch = (roles: string) => roles.includes('OperationsBatchOperationsRole');
    // The lock function alone may lengthen retention (under the Genesys export prefix, never bypass):
    // its policy is checked in test/stacks/retention-timeline-stacks.test.ts and here for everything else.
    const lock = (roles: string) => roles.includes('GenesysExportLock');
    expect(grantedBy(allowedBy(lock))).toEqual(['s3:PutObjectRetention']);
    const allowed = allowedBy((roles) => !batch(roles) && !lock(roles));
    expect(allowed.length).toBeGreaterThan(0);
    expect(grantedBy(allowed)).toEqual([]);
    expect(grantedBy(allowedBy(batch))).toEqual(['s3:PutObjectLegalHold']);
    // The check itself matches wildcards.
    expect(matches('s3:Delete*', 's3:DeleteObject')).toBe(true);
    expect(matches('s3:*Object*', 's3:PutObjectAcl')).toBe(true);
  });

  test('a trusted account other than the default (FedRAMP) is honored', () => {
    const config = configWith('sample', (c) => ({ ...c, genesys: { ...c.genesys, trustedAccountId: '123456789012' } }));
    Template.fromStack(buildEnvironment('sample', {}, config).stacks.archive).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } })],
      },
    });
  });
});

describe('outputs and protection', () => {
  test('outputs the bucket name, key ARN, role ARN, external id and alarm topic', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.RecordingBucketName.Value).toEqual({ Ref: BUCKET });
    expect(outputs.ArchiveKeyArn.Value).toEqual({ 'Fn::GetAtt': [KEY, 'Arn'] });
    expect(outputs.GenesysRoleArn.Value).toEqual({ 'Fn::GetAtt': [ROLE, 'Arn'] });
    expect(outputs.GenesysExternalId.Value).toBe('00000000-0000-4000-8000-000000000000');
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: expect.stringMatching(/^AlarmsTopic/) });
  });

  test('termination protection is off for sample and on for every other environment', () => {
    expect(sample.stacks.archive.terminationProtection).toBe(false);
    const prod = buildEnvironment('prod');
    for (const stack of [prod.stacks.archive, prod.stacks.genesys, prod.stacks.connect]) {
      expect(stack?.terminationProtection).toBe(true);
    }
  });

  test('every stateful resource is retained on delete and on replacement', () => {
    const prod = Template.fromStack(buildEnvironment('prod').stacks.archive).toJSON().Resources as Record<
      string,
      Record<string, unknown>
    >;
    const stateful = Object.entries(prod).filter(([, r]) =>
      ['AWS::KMS::Key', 'AWS::S3::Bucket'].includes(r.Type as string),
    );
    expect(stateful.length).toBe(4);
    for (const [id, r] of stateful) {
      expect({ id, DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy }).toEqual({
        id,
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });
});

describe('operations key and alarm topic', () => {
  test('the alarm topic is encrypted with the operations key and TLS-only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OperationsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('CloudWatch alarms of this account may publish to the topic (the TLS-only topic policy replaces the default one)', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:*' },
            },
          },
        ]),
      },
    });
  });

  test('the operations key rotates, is retained and lets CloudWatch Logs of this account and region use it', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowCloudWatchLogs',
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:*' } },
            }),
          ]),
        }),
      }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('replication (prod)', () => {
  const prod = Template.fromStack(buildEnvironment('prod').stacks.archive);

  test('replicates the prefix to the replica bucket with its key, including delete markers', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicationRole'), 'Arn'] },
        Rules: [
          {
            Id: 'replicate-recordings',
            Priority: 1,
            Status: 'Enabled',
            Filter: { Prefix: 'recordings/' },
            DeleteMarkerReplication: { Status: 'Enabled' },
            SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
            // The app-owned replica (RecordingArchive-prod-Replica), named from the config; its key by alias.
            Destination: {
              Bucket: 'arn:aws:s3:::recording-replica-prod-222222222222-us-west-2',
              EncryptionConfiguration: {
                ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:222222222222:alias/recording-archive/prod/replica',
              },
            },
          },
        ],
      },
    });
  });

  test('no longer warns that the replica needs lifecycle rules: the app-owned replica has the archive rules', () => {
    Annotations.fromStack(buildEnvironment('prod').stacks.archive).hasNoWarning(
      '/RecordingArchive-prod-Archive/RecordingBucket',
      Match.stringLikeRegexp('delete markers'),
    );
    Annotations.fromStack(sample.stacks.archive).hasNoWarning(
      '/RecordingArchive-sample-Archive/RecordingBucket',
      Match.stringLikeRegexp('delete markers'),
    );
  });

  test('the replication role is trusted by S3 only and uses exact actions', () => {
    prod.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] },
    });
    prod.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'EncryptReplicas',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: 'arn:aws:kms:us-west-2:222222222222:key/*',
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/recording-archive/prod/replica'] },
            },
          }),
        ]),
      },
    });
    const policies = JSON.stringify(prod.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).not.toMatch(/kms:[A-Za-z]*\*/);
    // The only inline policy is the lock function's own (ArchiveFunction's default policy).
    expect(Object.keys(prod.findResources('AWS::IAM::Policy')).every((id) => id.startsWith('GenesysExportLock'))).toBe(
      true,
    );
  });
});
