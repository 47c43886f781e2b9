import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import { demoFlowContent, FlowDocument } from '../../lib/constructs/demo-contact-flow';
import { buildEnvironment } from '../support/app';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

const { stacks } = buildEnvironment('sample');
const connect = Template.fromStack(stacks.connect!);
const archive = Template.fromStack(stacks.archive);
const genesys = Template.fromStack(stacks.genesys!);
const config = loadConfig('sample');
const INSTANCE = config.connect!.instanceArn!;
const resources = (t: Template, type: string) =>
  Object.entries(t.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
const operationsKey = expect.objectContaining({
  'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/OperationsKey/) }),
});

describe('instance storage', () => {
  test('associates the created stream with the instance for contact trace records', () => {
    connect.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      InstanceArn: INSTANCE,
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageType: 'KINESIS_STREAM',
      KinesisStreamConfig: { StreamArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CtrTaggingStream'), 'Arn'] } },
    });
  });

  test('writes call recordings into the archive bucket under connect/ with the archive key', () => {
    connect.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      InstanceArn: INSTANCE,
      ResourceType: 'CALL_RECORDINGS',
      StorageType: 'S3',
      S3Config: {
        BucketName: Match.objectLike({
          'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('RecordingBucket') }),
        }),
        BucketPrefix: 'connect/CallRecordings',
        EncryptionConfig: {
          EncryptionType: 'KMS',
          KeyId: Match.objectLike({
            'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('ArchiveKey') }),
          }),
        },
      },
    });
    connect.resourceCountIs('AWS::Connect::InstanceStorageConfig', 2);
  });

  test('an instance that already streams CTRs (existingStreamArn) gets no CTR association', () => {
    const withExisting = buildEnvironment(
      'sample',
      {},
      {
        ...config,
        connect: {
          ...config.connect!,
          existingStreamArn: 'arn:aws:kinesis:us-east-1:111111111111:stream/connect-ctr',
          recordIntoArchive: false,
        },
      },
    );
    const t = Template.fromStack(withExisting.stacks.connect!);
    t.resourceCountIs('AWS::Connect::InstanceStorageConfig', 0);
    t.resourceCountIs('AWS::Kinesis::Stream', 0);
  });
});

describe('demo contact flow', () => {
  const [flow] = resources(connect, 'AWS::Connect::ContactFlow');
  const document = JSON.parse(flow[1].Properties.Content as string) as FlowDocument;
  const KNOWN = new Set([
    'UpdateContactRecordingBehavior',
    'GetParticipantInput',
    'UpdateContactAttributes',
    'UpdateContactTargetQueue',
    'TransferContactToQueue',
    'DisconnectParticipant',
  ]);

  test('is a CONTACT_FLOW of the instance in the Flow language', () => {
    expect(flow[1].Properties).toMatchObject({
      InstanceArn: INSTANCE,
      Type: 'CONTACT_FLOW',
      Name: 'recording-archive-sample-retention-demo',
    });
    expect(document.Version).toBe('2019-10-30');
    expect((flow[1].Properties.Content as string).length).toBeLessThan(256_000);
  });

  test('every transition target exists, every action is reachable, and only known action types are used', () => {
    const ids = new Set(document.Actions.map((a) => a.Identifier));
    expect(ids.size).toBe(document.Actions.length);
    expect(ids.has(document.StartAction)).toBe(true);
    const targets = document.Actions.flatMap((a) => [
      a.Transitions.NextAction,
      ...(a.Transitions.Errors ?? []).map((e) => e.NextAction),
      ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction),
    ]).filter((t): t is string => t !== undefined);
    for (const target of targets) expect(ids).toContain(target);
    const reachable = new Set([document.StartAction, ...targets]);
    expect([...ids].filter((id) => !reachable.has(id))).toEqual([]);
    for (const action of document.Actions) expect(KNOWN).toContain(action.Type);
  });

  test('every action that can fail has an error branch, and the only end is a disconnect', () => {
    for (const action of document.Actions) {
      if (action.Type === 'DisconnectParticipant') expect(action.Transitions).toEqual({});
      else expect(action.Transitions.NextAction).toBeDefined();
      if (!['DisconnectParticipant', 'UpdateContactRecordingBehavior'].includes(action.Type))
        expect(action.Transitions.Errors?.length).toBeGreaterThan(0);
    }
    const input = document.Actions.find((a) => a.Type === 'GetParticipantInput')!;
    expect(input.Transitions.Errors!.map((e) => e.ErrorType).sort()).toEqual([
      'InputTimeLimitExceeded',
      'NoMatchingCondition',
      'NoMatchingError',
    ]);
  });

  test('records agent and customer, and sets the retention attribute to the first (1) or second (2) configured class', () => {
    const [first, second] = Object.keys(config.retention.classes);
    expect(document.Actions.find((a) => a.Type === 'UpdateContactRecordingBehavior')!.Parameters).toEqual({
      RecordingBehavior: { RecordedParticipants: ['Agent', 'Customer'] },
    });
    const byId = new Map(document.Actions.map((a) => [a.Identifier, a]));
    const input = document.Actions.find((a) => a.Type === 'GetParticipantInput')!;
    const chosen = input.Transitions.Conditions!.map((c) => [
      c.Condition.Operands[0],
      byId.get(c.NextAction)!.Parameters,
    ]);
    expect(chosen).toEqual([
      ['1', { Attributes: { [config.retention.tagKey]: first }, TargetContact: 'Current' }],
      ['2', { Attributes: { [config.retention.tagKey]: second }, TargetContact: 'Current' }],
    ]);
    expect(document.Actions.find((a) => a.Type === 'UpdateContactTargetQueue')!.Parameters).toEqual({
      QueueId: config.connect!.demoFlow!.queueArn,
    });
  });

  test('takes its class names and tag key from the input', () => {
    const text = JSON.stringify(
      demoFlowContent({ queueArn: 'q', tagKey: 'lob-retention', classes: ['gold', 'bronze'] }),
    );
    expect(text).toContain('"lob-retention":"gold"');
    expect(text).toContain('"lob-retention":"bronze"');
    expect(text).not.toContain('short');
  });
});

describe('retry and parked-CTR queues', () => {
  const queues = Object.fromEntries(
    resources(connect, 'AWS::SQS::Queue').map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r]),
  );

  test('are encrypted with the operations key, retained, and TLS-only', () => {
    expect(Object.keys(queues).sort()).toEqual([
      'CtrTaggingDeadLetterQueue',
      'CtrTaggingParkedCtrQueue',
      'CtrTaggingRetryQueue',
    ]);
    for (const queue of Object.values(queues)) {
      expect(queue.DeletionPolicy).toBe('Retain');
      expect(queue.UpdateReplacePolicy).toBe('Retain');
      expect(queue.Properties.KmsMasterKeyId).toEqual(operationsKey);
    }
    for (const name of ['CtrTaggingParkedCtrQueue', 'CtrTaggingRetryQueue']) {
      connect.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: Match.stringLikeRegexp(`^${name}`) }],
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
    }
  });

  test('the retry queue moves a message its consumer failed 5 times to the parked-CTR queue, and keeps messages 4 days', () => {
    expect(queues.CtrTaggingRetryQueue.Properties).toMatchObject({
      MessageRetentionPeriod: 4 * 86400,
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^CtrTaggingParkedCtrQueue/), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    expect(queues.CtrTaggingParkedCtrQueue.Properties.MessageRetentionPeriod).toBe(14 * 86400);
  });

  test('the retry consumer reads the retry queue with partial batch responses', () => {
    connect.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CtrTaggingRetryQueue'), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^CtrTaggingRetryTagger') },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    connect.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LATE_RECORDING_HOURS: '24',
          RETRY_QUEUE_URL: { Ref: Match.stringLikeRegexp('^CtrTaggingRetryQueue') },
          PARKED_QUEUE_URL: { Ref: Match.stringLikeRegexp('^CtrTaggingParkedCtrQueue') },
        }),
      },
    });
  });

  test('both functions may send to both queues; only the consumer may receive from the retry queue', () => {
    const policies = resources(connect, 'AWS::IAM::Policy');
    const statementsOf = (prefix: string) =>
      policies
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(
          ([, p]) =>
            (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> })
              .Statement,
        );
    const sends = (prefix: string) =>
      statementsOf(prefix)
        .filter((s) => [s.Action].flat().includes('sqs:SendMessage'))
        .map((s) => JSON.stringify(s.Resource));
    for (const fn of ['CtrTaggingTagger', 'CtrTaggingRetryTagger']) {
      expect(sends(fn).some((r) => r.includes('CtrTaggingRetryQueue'))).toBe(true);
      expect(sends(fn).some((r) => r.includes('CtrTaggingParkedCtrQueue'))).toBe(true);
    }
    const receives = (prefix: string) =>
      statementsOf(prefix).filter((s) => [s.Action].flat().includes('sqs:ReceiveMessage'));
    expect(receives('CtrTaggingTagger')).toEqual([]);
    expect(receives('CtrTaggingRetryTagger').map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringContaining('CtrTaggingRetryQueue'),
    ]);
  });

  test('the stack outputs the queue URLs ctr:redrive reads', () => {
    connect.hasOutput('ParkedCtrQueueUrl', { Value: { Ref: Match.stringLikeRegexp('^CtrTaggingParkedCtrQueue') } });
    connect.hasOutput('ShardFailureQueueUrl', { Value: { Ref: Match.stringLikeRegexp('^CtrTaggingDeadLetterQueue') } });
  });

  test('parked CTRs and a retry backlog notify the alarm topic', () => {
    connect.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CtrTaggingParkedCtrQueue'), 'QueueName'] },
        },
      ],
      Threshold: 1,
    });
    connect.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 100,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'delayed + visible' })]),
    });
  });
});

describe('recordings in the archive', () => {
  test("the bucket policy keeps Connect's service-linked role inside connect/", () => {
    archive.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyConnectOutsideItsPrefix',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject', 's3:PutObjectTagging'],
            NotResource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RecordingBucketRecordings'), 'Arn'] }, '/connect/*'],
              ],
            },
            Condition: {
              ArnLike: {
                'aws:PrincipalArn':
                  'arn:aws:iam::111111111111:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*',
              },
            },
          },
        ]),
      },
    });
  });

  test("connect/ gets the archive's lifecycle under its own rule IDs", () => {
    archive.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: Match.objectLike({
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'connect-archive-window',
            Prefix: 'connect/',
            ExpirationInDays: config.compliance.retentionDays,
          }),
          Match.objectLike({
            Id: 'connect-retention-class-short',
            Prefix: 'connect/',
            TagFilters: [{ Key: 'retention', Value: 'short' }],
          }),
        ]),
      }),
    });
  });

  test('the integrity check covers connect/CallRecordings/ in the archive bucket', () => {
    genesys.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CONNECT_PREFIX: 'connect/CallRecordings/',
          CONNECT_BUCKET: Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() }),
        }),
      },
    });
  });
});
