import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FINDING_TYPES } from '../../lambda/pointer-integrity/findings';
import { PointerIntegrityCheck } from '../../lib/constructs/pointer-integrity-check';
import { measuredCopies } from '../../lib/retention/copies';
import { buildEnvironment, configWith } from '../support/app';

type Resource = { Type: string; Properties: Record<string, unknown> };

function genesysTemplate(envName: string, config?: ReturnType<typeof configWith>) {
  const { stacks } = buildEnvironment(envName, {}, config);
  const template = Template.fromStack(stacks.genesys!);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const byPrefix = (type: string) =>
    Object.entries(resources)
      .filter(([id, r]) => r.Type === type && id.startsWith('PointerIntegrityCheck'))
      .map(([, r]) => r.Properties);
  return { template, resources, byPrefix };
}

const sample = genesysTemplate('sample');

/** The function's statements by Sid (X-Ray's resource-less statement has none). */
function statements(byPrefix: ReturnType<typeof genesysTemplate>['byPrefix']): Record<string, Record<string, unknown>> {
  const policies = byPrefix('AWS::IAM::Policy');
  expect(policies).toHaveLength(1);
  const doc = policies[0].PolicyDocument as { Statement: Record<string, unknown>[] };
  return Object.fromEntries(
    doc.Statement.map((s) => [typeof s.Sid === 'string' ? s.Sid : [s.Action as string | string[]].flat().join(','), s]),
  );
}

test('a weekly EventBridge schedule from the config starts the check, with retries', () => {
  const rules = sample.byPrefix('AWS::Events::Rule');
  expect(rules).toHaveLength(1);
  expect(rules[0]).toMatchObject({
    ScheduleExpression: 'cron(0 3 ? * SUN *)',
    State: 'ENABLED',
    Targets: [expect.objectContaining({ RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 2 } })],
  });
  const custom = genesysTemplate(
    'sample',
    configWith('sample', (c) => ({
      ...c,
      genesysIntegration: {
        ...c.genesysIntegration!,
        integrityCheck: { schedule: 'rate(7 days)', genesysLookbackDays: 9 },
      },
    })),
  );
  expect(custom.byPrefix('AWS::Events::Rule')[0].ScheduleExpression).toBe('rate(7 days)');
  const fn = custom.byPrefix('AWS::Lambda::Function')[0] as { Environment: { Variables: Record<string, unknown> } };
  expect(fn.Environment.Variables.LOOKBACK_DAYS).toBe('9');
});

test('the function runs one invocation at a time for up to 15 minutes, configured from the environment', () => {
  const fns = sample.byPrefix('AWS::Lambda::Function') as { Environment: { Variables: Record<string, unknown> } }[];
  expect(fns).toHaveLength(1);
  expect(fns[0]).toMatchObject({
    Timeout: 900,
    MemorySize: 1024,
    ReservedConcurrentExecutions: 1,
    Runtime: 'nodejs22.x',
  });
  expect(fns[0].Environment.Variables).toMatchObject({
    POWERTOOLS_SERVICE_NAME: 'pointer-integrity',
    ENVIRONMENT_NAME: 'sample',
    RECORDINGS_PREFIX: 'recordings/',
    GENESYS_ORG_ID: '00000000-0000-4000-8000-000000000000',
    PLATFORM_RETENTION_DAYS: '730',
    HORIZON_DAYS: '730',
    LOOKBACK_DAYS: '7',
    RETENTION_TAG_KEY: 'retention',
    RETENTION_CLASSES: 'short,long',
    REPORT_PREFIX: 'reports/pointer-integrity/',
    // The sample records Connect calls into the archive (connect.recordIntoArchive), so the check
    // lists them there, under the prefix Connect writes to.
    CONNECT_BUCKET: {
      'Fn::GetStackOutput': expect.objectContaining({
        StackName: 'RecordingArchive-sample-Archive',
        OutputName: expect.stringContaining('RecordingBucket'),
      }),
    },
    CONNECT_PREFIX: 'connect/CallRecordings/',
    GENESYS_REGION: 'us-east-1',
    GENESYS_OAUTH_SECRET_NAME: 'recording-archive/sample/genesys-oauth',
    EXPORT_GRACE_HOURS: '24',
    EXPORT_MEDIA_TYPES: 'call',
    EXPORT_QUEUE_IDS: '',
    EXPORT_DIRECTIONS: '',
    EXPORT_WRAPUP_CODE_IDS: '',
  });
});

test('the export grace and the export policy conditions come from genesysIntegration', () => {
  const custom = genesysTemplate(
    'sample',
    configWith('sample', (c) => ({
      ...c,
      genesysIntegration: {
        ...c.genesysIntegration!,
        exportGraceHours: 48,
        exportPolicy: {
          ...c.genesysIntegration!.exportPolicy,
          mediaTypes: ['call', 'chat'],
          conditions: {
            queues: [
              { id: 'q-1', name: 'Sales' },
              { id: 'q-2', name: 'Support' },
            ],
            directions: ['INBOUND'],
            wrapupCodes: [{ id: 'w-1', name: 'Done' }],
          },
        },
      },
    })),
  );
  const fn = custom.byPrefix('AWS::Lambda::Function')[0] as { Environment: { Variables: Record<string, unknown> } };
  expect(fn.Environment.Variables).toMatchObject({
    EXPORT_GRACE_HOURS: '48',
    EXPORT_MEDIA_TYPES: 'call,chat',
    EXPORT_QUEUE_IDS: 'q-1,q-2',
    EXPORT_DIRECTIONS: 'INBOUND',
    EXPORT_WRAPUP_CODE_IDS: 'w-1',
  });
});

test('least privilege: list and head the Genesys layout, read the lifecycle, write reports, publish, tag reads on Connect only', () => {
  const s = statements(sample.byPrefix);
  expect(Object.keys(s).sort()).toEqual(
    [
      'xray:PutTelemetryRecords,xray:PutTraceSegments',
      'logs:CreateLogStream,logs:PutLogEvents',
      'secretsmanager:DescribeSecret,secretsmanager:GetSecretValue',
      'ListGenesysPartitions',
      'HeadGenesysObjects',
      'ReadLifecycle',
      'WriteReports',
      'EncryptReportsThroughS3',
      'PublishFindingsAndContinuations',
      'UseOperationsKeyForTopics',
      'ListConnectRecordings',
      'ReadConnectRetentionTags',
      // Over-retention: versions of the archive's Genesys layout and connect/, and of Connect's own bucket.
      'ListGenesysVersions',
      'ListConnectVersions',
      'ListConnectBucketVersions',
      'ReadConnectBucketRetentionTags',
    ].sort(),
  );
  const org = 'recordings/00000000-0000-4000-8000-000000000000/';
  expect(s.ListGenesysPartitions).toMatchObject({
    Action: 's3:ListBucket',
    Condition: { StringLike: { 's3:prefix': [`${org}*`] } },
  });
  expect(s.HeadGenesysObjects).toMatchObject({
    Action: 's3:GetObject',
    Resource: { 'Fn::Join': ['', [expect.anything(), `/${org}*`]] },
  });
  expect(s.ReadLifecycle.Action).toBe('s3:GetLifecycleConfiguration');
  expect(s.WriteReports).toMatchObject({
    Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [expect.anything(), '/reports/pointer-integrity/*']] },
  });
  expect(s.EncryptReportsThroughS3).toMatchObject({
    Action: 'kms:GenerateDataKey',
    Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
  });
  expect(s.UseOperationsKeyForTopics).toMatchObject({
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Condition: { StringEquals: { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' } },
  });
  expect(s.ListConnectRecordings).toMatchObject({
    Action: 's3:ListBucket',
    Resource: {
      'Fn::GetStackOutput': expect.objectContaining({
        StackName: 'RecordingArchive-sample-Archive',
        OutputName: expect.stringContaining('RecordingBucket'),
      }),
    },
    Condition: { StringLike: { 's3:prefix': ['connect/CallRecordings/*'] } },
  });
  expect(s.ReadConnectRetentionTags).toMatchObject({
    Action: 's3:GetObjectTagging',
    Resource: {
      'Fn::Join': [
        '',
        [
          { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'RecordingArchive-sample-Archive' }) },
          '/connect/CallRecordings/*',
        ],
      ],
    },
  });
  // Logs go to its own log group only: no AWS managed policy on the role.
  const role = sample.byPrefix('AWS::IAM::Role')[0];
  expect(role.ManagedPolicyArns).toEqual([]);
  expect(s['logs:CreateLogStream,logs:PutLogEvents'].Resource).toEqual({
    'Fn::GetAtt': [expect.stringMatching(/^PointerIntegrityCheckLogs/), 'Arn'],
  });
  // The Genesys client's OAuth secret, by name, and no other secret.
  expect(s['secretsmanager:DescribeSecret,secretsmanager:GetSecretValue'].Resource).toBe(
    'arn:aws:secretsmanager:us-east-1:111111111111:secret:recording-archive/sample/genesys-oauth-??????',
  );
  // Nothing that deletes, rewrites, or reads beyond these.
  const actions = Object.values(s).flatMap((x) => [x.Action].flat() as string[]);
  for (const action of actions)
    expect(action).not.toMatch(/\*|Delete|PutObjectTagging|PutObjectRetention|PutBucket|kms:Encrypt$/);
});

test('without Connect there is no Connect permission or setting', () => {
  const noConnect = genesysTemplate(
    'sample',
    configWith('sample', ({ connect: _connect, ...c }) => c),
  );
  expect(Object.keys(statements(noConnect.byPrefix))).not.toContain('ListConnectRecordings');
  const fn = noConnect.byPrefix('AWS::Lambda::Function')[0] as { Environment: { Variables: Record<string, unknown> } };
  expect(fn.Environment.Variables).not.toHaveProperty('CONNECT_BUCKET');
});

test('continuation: the function subscribes to its own encrypted topic, never retries on its own, and sends failures to the alarm topic', () => {
  expect(sample.byPrefix('AWS::SNS::Topic')).toEqual([expect.objectContaining({ KmsMasterKeyId: expect.anything() })]);
  expect(sample.byPrefix('AWS::SNS::Subscription')).toEqual([expect.objectContaining({ Protocol: 'lambda' })]);
  const invokeConfig = sample.byPrefix('AWS::Lambda::EventInvokeConfig');
  expect(invokeConfig).toEqual([
    expect.objectContaining({
      MaximumRetryAttempts: 0,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringContaining('AlarmsTopic') }),
          },
        },
      },
    }),
  ]);
});

test('an alarm on any finding and one on a failed invocation, both notifying the environment topic', () => {
  const alarms = sample.byPrefix('AWS::CloudWatch::Alarm');
  expect(alarms).toHaveLength(2);
  const findings = alarms.find((a) => a.MetricName === 'Findings')!;
  expect(findings).toMatchObject({
    Namespace: 'RecordingArchive/PointerIntegrity',
    Dimensions: expect.arrayContaining([
      { Name: 'Environment', Value: 'sample' },
      { Name: 'service', Value: 'pointer-integrity' },
    ]),
    Statistic: 'Sum',
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmActions: [
      { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringContaining('AlarmsTopic') }) },
    ],
  });
  expect(alarms.find((a) => a.MetricName === 'Errors')).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1 });
  // Every finding type is its own metric name, distinct from the alarm's total.
  expect(new Set(FINDING_TYPES).size).toBe(FINDING_TYPES.length);
  expect(FINDING_TYPES).toEqual(
    expect.arrayContaining([
      'RecordingWithoutSidecar',
      'ExportedRecordingMissing',
      'NotExported',
      'ExpiresBeforePlatformWindow',
    ]),
  );
  expect(FINDING_TYPES).not.toContain('Findings');
});

test('prod lists the whole HIPAA window and its own Connect bucket', () => {
  const prod = genesysTemplate('prod');
  const fn = prod.byPrefix('AWS::Lambda::Function')[0] as { Environment: { Variables: Record<string, unknown> } };
  expect(fn.Environment.Variables).toMatchObject({
    HORIZON_DAYS: '2190',
    PLATFORM_RETENTION_DAYS: '2190',
    CONNECT_BUCKET: 'amazon-connect-prod-recordings-222222222222',
  });
  prod.template.hasResourceProperties(
    'AWS::Events::Rule',
    Match.objectLike({ ScheduleExpression: 'cron(0 3 ? * SUN *)' }),
  );
});

test('an empty class list is refused in one sentence', () => {
  const stack = new Stack(new App(), 'T', { env: { account: '111111111111', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'K');
  expect(
    () =>
      new PointerIntegrityCheck(stack, 'P', {
        envName: 't',
        bucket: new s3.Bucket(stack, 'B'),
        key,
        operationsKey: key,
        alarmTopic: new sns.Topic(stack, 'A'),
        schedule: 'rate(7 days)',
        lookbackDays: 7,
        recordingsPrefix: 'r/',
        keyLayout: '{orgId}/{yyyy}/{mm}/{dd}/{hh}/{conversationId}/',
        organizationId: 'o',
        platformRetentionDays: 1,
        horizonDays: 1,
        retentionTagKey: 'retention',
        retentionClasses: [],
      }),
  ).toThrow('PointerIntegrityCheck: retentionClasses is empty; give the retention class names the tagger writes.');
});

/** The function's OVER_RETENTION, with the archive bucket's name (a cross-stack token) as ARCHIVE. */
function overRetentionOf(byPrefix: ReturnType<typeof genesysTemplate>['byPrefix']) {
  const fn = byPrefix('AWS::Lambda::Function')[0] as { Environment: { Variables: Record<string, unknown> } };
  const value = fn.Environment.Variables.OVER_RETENTION as { 'Fn::Join': [string, unknown[]] };
  const text = value['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'ARCHIVE')).join('');
  return JSON.parse(text) as {
    copies: Array<{
      copy: string;
      bucket: string;
      region?: string;
      noncurrentDays: number;
      rules: Array<{ id: string; prefix: string; tags?: Record<string, string>; days: number }>;
      list?: unknown;
    }>;
  };
}

test("over-retention: every copy with the rules its lifecycle is built with, the archive's as in its template", () => {
  const { stacks, config } = buildEnvironment('sample');
  const copies = overRetentionOf(sample.byPrefix).copies;
  expect(copies.map((c) => [c.copy, c.bucket, c.list])).toEqual([
    ['archive', 'ARCHIVE', undefined],
    [
      'connect-bucket',
      'amazon-connect-sample-recordings',
      { layout: 'connect', prefix: 'connect/sample-instance/CallRecordings/' },
    ],
  ]);
  expect(copies.map((c) => c.rules.map((r) => ({ tags: {}, ...r })))).toEqual(
    measuredCopies(config).map((c) => c.rules),
  );
  // The archive's expirations as the archive template has them: the untagged ones of the recordings prefix
  // (Genesys exports carry no retention tag) and every one of connect/.
  const bucket = Object.values(
    Template.fromStack(stacks.archive).findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }),
  )[0] as { Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } } };
  const fromTemplate = bucket.Properties.LifecycleConfiguration.Rules.filter(
    (r) =>
      r.ExpirationInDays !== undefined &&
      (r.Prefix === 'connect/' || (r.Prefix === config.recordingsPrefix && r.TagFilters === undefined)),
  ).map((r) => ({
    id: r.Id,
    prefix: r.Prefix,
    ...(r.TagFilters
      ? { tags: Object.fromEntries((r.TagFilters as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value])) }
      : {}),
    days: r.ExpirationInDays,
  }));
  expect(copies[0].rules).toEqual(fromTemplate);
  expect(copies[0].noncurrentDays).toBe(config.lifecycle.noncurrentVersionExpirationDays);
  expect(copies[0].rules).toContainEqual({ id: 'connect-untagged-fallback', prefix: 'connect/', days: 90 });

  const s = statements(sample.byPrefix);
  const org = 'recordings/00000000-0000-4000-8000-000000000000/';
  expect(s.ListGenesysVersions).toMatchObject({
    Action: 's3:ListBucketVersions',
    Condition: { StringLike: { 's3:prefix': [`${org}*`] } },
  });
  expect(s.ListConnectVersions).toMatchObject({
    Action: 's3:ListBucketVersions',
    Condition: { StringLike: { 's3:prefix': ['connect/CallRecordings/*'] } },
  });
  expect(s.ListConnectBucketVersions).toMatchObject({
    Action: 's3:ListBucketVersions',
    Resource: 'arn:aws:s3:::amazon-connect-sample-recordings',
    Condition: { StringLike: { 's3:prefix': ['connect/sample-instance/CallRecordings/*'] } },
  });
  expect(s.ReadConnectBucketRetentionTags).toMatchObject({
    Action: 's3:GetObjectTagging',
    Resource: 'arn:aws:s3:::amazon-connect-sample-recordings/connect/sample-instance/CallRecordings/*',
  });
});

test('prod measures the replica in its region, listing versions of the Genesys layout only', () => {
  const prod = genesysTemplate('prod');
  const copies = overRetentionOf(prod.byPrefix).copies;
  expect(copies.map((c) => [c.copy, c.bucket, c.region, c.list])).toEqual([
    ['archive', 'ARCHIVE', undefined, undefined],
    ['replica', 'recording-replica-prod-222222222222-us-west-2', 'us-west-2', { layout: 'genesys' }],
    ['connect-bucket', 'amazon-connect-prod-recordings-222222222222', undefined, undefined],
  ]);
  expect(copies[1].rules).toEqual(copies[0].rules);
  const s = statements(prod.byPrefix);
  expect(s.ListReplicaVersions).toMatchObject({
    Action: 's3:ListBucketVersions',
    Resource: 'arn:aws:s3:::recording-replica-prod-222222222222-us-west-2',
  });
  expect(
    (s.ListReplicaVersions.Condition as { StringLike: Record<string, string[]> }).StringLike['s3:prefix'][0],
  ).toMatch(/^recordings\/[^/]+\/\*$/);
  // Connect's own bucket is the Connect location here: listed by the Connect partitions, versions included.
  expect(s.ListConnectVersions).toMatchObject({ Action: 's3:ListBucketVersions' });
  expect(s).not.toHaveProperty('ListConnectBucketVersions');
});
