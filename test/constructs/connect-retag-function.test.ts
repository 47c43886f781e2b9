import { Template } from 'aws-cdk-lib/assertions';
import { buildEnvironment, configWith } from '../support/app';

/**
 * The bulk re-tag function of `npm run archive -- retag` in the Connect stack: tag and lock rights
 * under Connect's recording prefixes only, and `lambda:InvokeFunction` on exactly this function for
 * the archive stack's S3 Batch Operations role.
 */
type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function connect(envName: string, config?: Parameters<typeof buildEnvironment>[2]) {
  const { stacks } = buildEnvironment(envName, {}, config);
  const template = Template.fromStack(stacks.connect!);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const archiveId = (id: string) =>
    Object.keys(Template.fromStack(stacks.archive).toJSON().Resources as object).find((k) => k.startsWith(id))!;
  return { template, resources, archiveId, stacks };
}

const statementsOf = (resources: Record<string, Resource>, idPrefix: string) => {
  const policy = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(idPrefix));
  expect(policy).toBeDefined();
  return (policy![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
};
const output = (name: string) => ({
  'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringContaining(name) }),
});

describe('sample: recordings in the archive and in Connect bucket', () => {
  const { template, resources } = connect('sample');
  const functionId = Object.entries(resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('RetagRetagger'),
  )![0];

  test('the function runs the tagger logic with the classes and both Connect prefixes', () => {
    const fn = resources[functionId].Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', ReservedConcurrentExecutions: 10, Timeout: 60 });
    const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.RETENTION_TAG_KEY).toBe('retention');
    expect(JSON.parse(env.RETENTION_CLASS_DAYS as string)).toEqual({ short: 30, long: 90 });
    expect(JSON.stringify(env.RETAG_LOCATIONS)).toContain(
      String.raw`\",\"prefix\":\"connect/\"},{\"bucket\":\"amazon-connect-sample-recordings\",\"prefix\":\"connect/sample-instance/CallRecordings/\"}]`,
    );
    template.hasOutput('RetagFunctionArn', { Value: { 'Fn::GetAtt': [functionId, 'Arn'] } });
  });

  test('its role tags and locks under the Connect prefixes only, and cannot read, write or delete a recording', () => {
    const statements = statementsOf(resources, 'RetagRetaggerFunctionServiceRoleDefaultPolicy');
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(bySid.TagAndLockConnectRecordings).toEqual({
      Sid: 'TagAndLockConnectRecordings',
      Effect: 'Allow',
      Action: ['s3:GetObjectRetention', 's3:GetObjectTagging', 's3:PutObjectRetention', 's3:PutObjectTagging'],
      Resource: [
        'arn:aws:s3:::amazon-connect-sample-recordings/connect/sample-instance/CallRecordings/*',
        { 'Fn::Join': ['', [output('RecordingBucketRecordings'), '/connect/*']] },
      ],
    });
    expect(bySid.ListConnectPrefix0.Condition).toEqual({ StringLike: { 's3:prefix': 'connect/*' } });
    expect(bySid.ListConnectPrefix1).toMatchObject({
      Action: ['s3:ListBucket', 's3:ListBucketVersions'],
      Resource: 'arn:aws:s3:::amazon-connect-sample-recordings',
      Condition: { StringLike: { 's3:prefix': 'connect/sample-instance/CallRecordings/*' } },
    });
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    for (const forbidden of [
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
      's3:BypassGovernanceRetention',
      's3:PutObjectLegalHold',
    ])
      expect(actions).not.toContain(forbidden);
    // Never the Genesys prefix of the archive.
    expect(JSON.stringify(statements)).not.toMatch(/[/"]recordings\/\*/);
  });

  test('the Batch Operations role may invoke exactly this function, and nothing else is added to it', () => {
    const invoke = Object.entries(resources).filter(([id]) => id.startsWith('RetagBatchOperationsInvoke'));
    expect(invoke).toHaveLength(1);
    const props = invoke[0][1].Properties as { PolicyDocument: { Statement: Statement[] }; Roles: unknown[] };
    expect(props.PolicyDocument.Statement).toEqual([
      {
        Sid: 'InvokeRetagFunction',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [functionId, 'Arn'] },
      },
    ]);
    // The role's name, from the archive stack's BatchOperationsRole ARN.
    expect(JSON.stringify(props.Roles)).toContain('OperationsBatchOperationsRole');
    // The only policy of this stack on the Batch Operations role, and the only grant on this function.
    const onBatchRole = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('OperationsBatchOperationsRole'),
    );
    expect(onBatchRole).toHaveLength(1);
    const grants = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter(
        (s) =>
          JSON.stringify(s.Action).includes('lambda:InvokeFunction') && JSON.stringify(s.Resource).includes(functionId),
      );
    expect(grants).toHaveLength(1);
  });
});

test('prod: only Connect own bucket, and no function without a Connect recording location', () => {
  const prod = connect('prod');
  const tagAndLock = statementsOf(prod.resources, 'RetagRetaggerFunctionServiceRoleDefaultPolicy').find(
    (s) => s.Sid === 'TagAndLockConnectRecordings',
  )!;
  expect(tagAndLock.Resource).toEqual(
    'arn:aws:s3:::amazon-connect-prod-recordings-222222222222/connect/prod-instance/CallRecordings/*',
  );
  const none = connect(
    'prod',
    configWith('prod', (c) => ({ ...c, connect: { ...c.connect!, existingRecordingBucket: undefined } })),
  );
  expect(Object.keys(none.resources).filter((id) => id.startsWith('Retag'))).toEqual([]);
  expect(none.stacks.connect!.retag).toBeUndefined();
});
