import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { connectRuleIdPrefix } from '../../lib/constructs/connect-bucket-lifecycle';
import { CtrTaggingPipeline } from '../../lib/constructs/ctr-tagging-pipeline';
import { buildEnvironment, configWith } from '../support/app';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function connectTemplate(envName: string, config?: Parameters<typeof buildEnvironment>[2]): Template {
  const { stacks } = buildEnvironment(envName, {}, config);
  expect(stacks.connect).toBeDefined();
  return Template.fromStack(stacks.connect!);
}

const sample = connectTemplate('sample');
const prod = connectTemplate('prod');
const resourcesOf = (t: Template) => t.toJSON().Resources as Resources;
const ofType = (t: Template, type: string) => Object.entries(resourcesOf(t)).filter(([, r]) => r.Type === type);
const logicalIdOf = (t: Template, type: string, pathPart: string) => {
  const found = Object.entries(
    t.toJSON().Resources as Record<string, { Type: string; Metadata?: { 'aws:cdk:path'?: string } }>,
  ).filter(([id, r]) => r.Type === type && (r.Metadata?.['aws:cdk:path'] ?? id).includes(pathPart));
  expect(found).toHaveLength(1);
  return found[0][0];
};

type Statement = { Action: string | string[]; Effect: string; Resource: unknown; Condition?: unknown };
/** The statements of the tagging function's default policy. */
const taggerStatements = (t: Template, idPrefix = 'CtrTaggingTagger') => {
  const policy = ofType(t, 'AWS::IAM::Policy').find(([id]) => id.startsWith(idPrefix) && id.includes('Tagger'));
  expect(policy).toBeDefined();
  return (policy![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
};
const pipelineBase = {
  shardCount: 1,
  batchSize: 100,
  parallelizationFactor: 1,
  retryAttempts: 3,
  maxRecordAge: Duration.hours(1),
  retentionTagKey: 'retention',
  retentionClasses: ['short'],
  defaultRetentionClass: 'short',
  tagConcurrency: 8,
  missingObjectAttempts: 2,
  missingObjectDelay: Duration.millis(100),
  lateRecordingHours: 24,
};
/** A bare stack with its own key, for constructing the pipeline alone. */
const pipelineStack = () => {
  const s = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  return { stack: s, key: new kms.Key(s, 'Key') };
};

describe('CTR stream', () => {
  test('is encrypted with the AWS managed key aws/kinesis, which Connect can write to with no key grant, and keeps records 7 days', () => {
    sample.resourceCountIs('AWS::Kinesis::Stream', 1);
    sample.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      RetentionPeriodHours: 168,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  test('is not created when the environment attaches to an existing stream', () => {
    prod.resourceCountIs('AWS::Kinesis::Stream', 0);
    prod.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: 'arn:aws:kinesis:us-east-1:222222222222:stream/connect-ctr-prod',
    });
  });
});

describe('event source mapping', () => {
  test('starts at TRIM_HORIZON, reports item failures, bisects, caps retries and age, and sends failures to the queue', () => {
    const queue = logicalIdOf(sample, 'AWS::SQS::Queue', 'DeadLetterQueue');
    sample.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      BatchSize: 100,
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });

  test('takes batch size and parallelization factor from the environment', () => {
    prod.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, ParallelizationFactor: 2 });
    const custom = connectTemplate(
      'sample',
      configWith('sample', (c) => ({
        ...c,
        connect: { ...c.connect, batchSize: 500, parallelizationFactor: 4, retryAttempts: 2, maxRecordAgeHours: 6 },
      })),
    );
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      ParallelizationFactor: 4,
      MaximumRetryAttempts: 2,
      MaximumRecordAgeInSeconds: 21600,
    });
    // One invocation slot per shard and parallelization factor, never below the app's default of 5.
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Tags Connect'),
      ReservedConcurrentExecutions: 5,
    });
  });
});

describe('dead-letter queue', () => {
  test('is KMS-encrypted, keeps messages 14 days and refuses requests without TLS', () => {
    const queue = logicalIdOf(sample, 'AWS::SQS::Queue', 'DeadLetterQueue');
    sample.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 1209600,
    });
    sample.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('tagging function', () => {
  test('gets the retention settings in its environment', () => {
    sample.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Tags Connect'),
      Runtime: 'nodejs22.x',
      Timeout: 300,
      MemorySize: 1769,
      Environment: {
        Variables: Match.objectLike({
          RETENTION_TAG_KEY: 'retention',
          RETENTION_CLASSES: 'short,long',
          DEFAULT_RETENTION_CLASS: 'long',
          TAG_CONCURRENCY: '50',
          MISSING_OBJECT_ATTEMPTS: '6',
          MISSING_OBJECT_DELAY_MS: '500',
        }),
      },
    });
  });

  test('may read and write object tags under the three recording prefixes, list only those prefixes, and nothing else in S3', () => {
    const s3Statements = taggerStatements(sample).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    // Tags, and (issue 10) the retention of each tagged recording: read and lengthen, never bypass.
    expect(s3Statements).toHaveLength(5);
    // The sample records into the archive too (connect.recordIntoArchive).
    expect(JSON.stringify(s3Statements[0].Resource)).toContain('/connect/*"');
    expect(s3Statements[0].Action).toEqual([
      's3:GetObjectRetention',
      's3:GetObjectTagging',
      's3:PutObjectRetention',
      's3:PutObjectTagging',
    ]);
    expect(JSON.stringify(s3Statements[0].Resource)).toContain(
      'arn:aws:s3:::amazon-connect-sample-recordings/connect/sample-instance/CallRecordings/*',
    );
    expect(JSON.stringify(s3Statements[0].Resource)).toContain('/recordings/*');
    expect(s3Statements[1].Action).toBe('s3:GetBucketObjectLockConfiguration');
    expect(
      s3Statements
        .slice(2)
        .every((s) => JSON.stringify(s.Action) === JSON.stringify(['s3:ListBucket', 's3:ListBucketVersions'])),
    ).toBe(true);
    expect(s3Statements.flatMap((s) => [s.Action].flat())).not.toContain('s3:BypassGovernanceRetention');
  });

  test('may list each tagged bucket under its recording prefix only, so S3 answers a late recording with NoSuchKey instead of AccessDenied', () => {
    sample.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['s3:ListBucket', 's3:ListBucketVersions'],
            Effect: 'Allow',
            Resource: {
              'Fn::GetStackOutput': Match.objectLike({
                StackName: 'RecordingArchive-sample-Archive',
                OutputName: Match.stringLikeRegexp('RecordingBucket'),
              }),
            },
            Condition: { StringLike: { 's3:prefix': 'recordings/*' } },
          },
          {
            Action: ['s3:ListBucket', 's3:ListBucketVersions'],
            Effect: 'Allow',
            Resource: 'arn:aws:s3:::amazon-connect-sample-recordings',
            Condition: { StringLike: { 's3:prefix': 'connect/sample-instance/CallRecordings/*' } },
          },
        ]),
      },
    });
    sample.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['s3:ListBucket', 's3:ListBucketVersions'],
            Effect: 'Allow',
            Resource: {
              'Fn::GetStackOutput': Match.objectLike({
                StackName: 'RecordingArchive-sample-Archive',
                OutputName: Match.stringLikeRegexp('RecordingBucket'),
              }),
            },
            Condition: { StringLike: { 's3:prefix': 'connect/*' } },
          },
        ]),
      },
    });
    expect(taggerStatements(sample).filter((s) => [s.Action].flat().includes('s3:ListBucket'))).toHaveLength(3);
  });

  test("gets no grant on the operations key for the stream it creates, and decrypt on an existing stream's key when one is given", () => {
    // The operations key's only grant is the dead-letter queue's (CDK's SendMessage grant includes kms:Decrypt).
    const kmsStatements = taggerStatements(sample).filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    expect(kmsStatements.map((s) => s.Action)).toEqual([
      ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    ]);
    const { stack: s, key } = pipelineStack();
    const created = new CtrTaggingPipeline(s, 'Created', {
      ...pipelineBase,
      key,
      locations: [{ bucket: s3.Bucket.fromBucketArn(s, 'B', 'arn:aws:s3:::amazon-connect-x'), prefix: 'connect/' }],
    });
    expect(created.stream.encryptionKey).toBeUndefined();

    const existingKey = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const attached = pipelineStack();
    new CtrTaggingPipeline(attached.stack, 'Attached', {
      ...pipelineBase,
      key: attached.key,
      existingStreamArn: 'arn:aws:kinesis:us-east-1:222222222222:stream/connect-ctr',
      existingStreamKeyArn: existingKey,
      locations: [
        { bucket: s3.Bucket.fromBucketArn(attached.stack, 'B', 'arn:aws:s3:::amazon-connect-y'), prefix: 'connect/' },
      ],
    });
    const policy = { Statement: taggerStatements(Template.fromStack(attached.stack), 'Attached') };
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt', Resource: existingKey }));
  });
});

describe('lifecycle rules on the existing Connect bucket', () => {
  test('the custom resource carries one tag-filtered expiration per class and nothing S3 refuses in such a rule', () => {
    const [[, resource]] = ofType(sample, 'Custom::ConnectBucketLifecycle');
    expect(resource.Properties.BucketName).toBe('amazon-connect-sample-recordings');
    expect(resource.Properties.RuleIdPrefix).toBe('recording-archive-sample-');
    const rules = JSON.parse(resource.Properties.Rules as string) as Array<Record<string, unknown>>;
    expect(rules).toEqual([
      {
        ID: 'recording-archive-sample-retention-class-short',
        Status: 'Enabled',
        Filter: {
          And: { Prefix: 'connect/sample-instance/CallRecordings/', Tags: [{ Key: 'retention', Value: 'short' }] },
        },
        Expiration: { Days: 30 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      {
        ID: 'recording-archive-sample-retention-class-long',
        Status: 'Enabled',
        Filter: {
          And: { Prefix: 'connect/sample-instance/CallRecordings/', Tags: [{ Key: 'retention', Value: 'long' }] },
        },
        Expiration: { Days: 90 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
      // Untagged recordings expire at the longest class (issue 10), in a rule of their own.
      {
        ID: 'recording-archive-sample-untagged-fallback',
        Status: 'Enabled',
        Filter: { Prefix: 'connect/sample-instance/CallRecordings/' },
        Expiration: { Days: 90 },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
    for (const rule of rules) {
      expect(rule).not.toHaveProperty('ExpiredObjectDeleteMarker');
      expect(rule).not.toHaveProperty('AbortIncompleteMultipartUpload');
    }
  });

  test("its function may only read and write that bucket's lifecycle configuration", () => {
    sample.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
            Effect: 'Allow',
            Resource: 'arn:aws:s3:::amazon-connect-sample-recordings',
          },
        ]),
      },
    });
  });

  test("the provider framework's function has a concurrency cap and an encrypted log group", () => {
    const [[, framework]] = ofType(sample, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith('ConnectBucketLifecycleProviderframeworkonEvent'),
    );
    expect(framework.Properties).toMatchObject({ ReservedConcurrentExecutions: 2, KmsKeyArn: expect.anything() });
    // Log writes to its own log group instead of the AWS managed basic execution role.
    const roleId = (framework.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const [[, role]] = ofType(sample, 'AWS::IAM::Role').filter(([id]) => id === roleId);
    expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    expect(ofType(sample, 'AWS::Logs::LogGroup').every(([, r]) => r.Properties.KmsKeyId !== undefined)).toBe(true);
  });

  test('is left out when the environment names no existing Connect bucket', () => {
    const none = connectTemplate(
      'sample',
      configWith('sample', (c) => ({ ...c, connect: { ...c.connect, existingRecordingBucket: undefined } })),
    );
    none.resourceCountIs('Custom::ConnectBucketLifecycle', 0);
    none.resourceCountIs('AWS::Kinesis::Stream', 1);
  });
});

test("refuses an environment name whose rule ID prefix could start another environment's", () => {
  expect(() => connectRuleIdPrefix('prod-eu')).toThrow(
    "The environment name 'prod-eu' must be letters and digits only, so that no environment's rule ID prefix starts another's.",
  );
});

describe('alarms', () => {
  test('iterator age, dead letters and function errors notify the alarm topic', () => {
    const topic = Match.objectLike({
      'Fn::GetStackOutput': Match.objectLike({ StackName: 'RecordingArchive-sample-Archive' }),
    });
    sample.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    sample.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 600000,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topic],
    });
    sample.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    sample.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });
});

describe('CtrTaggingPipeline props', () => {
  const base = { ...pipelineBase, locations: [] };
  const stack = pipelineStack;

  test('refuses a pipeline with no recording location', () => {
    const { stack: s, key } = stack();
    expect(() => new CtrTaggingPipeline(s, 'P', { ...base, key })).toThrow(
      'CtrTaggingPipeline needs at least one recording location to grant tagging on.',
    );
  });

  test('refuses a default class that is not a class', () => {
    const { stack: s, key } = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'B', 'amazon-connect-x');
    expect(
      () =>
        new CtrTaggingPipeline(s, 'P', {
          ...base,
          key,
          defaultRetentionClass: 'long',
          locations: [{ bucket, prefix: 'connect/' }],
        }),
    ).toThrow("The default retention class 'long' is not one of the retention classes.");
  });
});
