import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { loadConfig } from '../../lib/config';
import sampleCidrs from '../../lib/config/environments/sample.genesys-cidrs.json';
import { createStacks } from '../../lib/create-stacks';
import { buildEnvironment, cdkContext, configWith } from '../support/app';
import { FakeGenesys } from '../support/fake-genesys';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Sid?: string };

const sample = buildEnvironment('sample');
const stack = sample.stacks.genesys!;
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Resource>;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

/** Statements of every policy attached to a role (inline and customer managed). */
function statementsOfRole(roleLogicalId: string): Statement[] {
  return Object.values(resources)
    .filter(
      (r) =>
        (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') &&
        JSON.stringify(r.Properties.Roles ?? []).includes(`"${roleLogicalId}"`),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
const roleOf = (fn: { role?: { node: { defaultChild?: unknown } } }) =>
  stack.getLogicalId(fn.role!.node.defaultChild as never);

const connection = stack.connection;
const onEventRole = roleOf(connection.onEventFunction.function);
const isCompleteRole = roleOf(connection.isCompleteFunction.function);
const driftRole = roleOf(stack.ipRangesDriftCheck.function.function);

describe('Genesys connection custom resource', () => {
  test('is served by the provider framework and carries the secret name, never a secret value', () => {
    const onEventFramework = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Handler) === 'framework.onEvent',
    )![0];
    template.hasResourceProperties('Custom::GenesysConnection', {
      ServiceToken: { 'Fn::GetAtt': [onEventFramework, 'Arn'] },
      IntegrationName: 'recording-archive-sample',
      CredentialName: 'recording-archive-sample-role',
      OAuthSecretName: 'recording-archive/sample/genesys-oauth',
      Prefix: 'recordings/',
      BucketRegion: 'us-east-1',
      Account: '111111111111',
      LoginBaseUrl: 'https://login.mypurecloud.com',
      ApiBaseUrl: 'https://api.mypurecloud.com',
      AllowPrefixMigration: 'false',
      RoleArn: Match.anyValue(),
      BucketName: Match.anyValue(),
      KmsKeyArn: Match.anyValue(),
    });
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/resolve:secretsmanager|clientSecret|SecretString/);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('the provider waits with isComplete through a traced, logged waiter state machine', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    // The connection's framework functions (the export policy's provider has its own, below).
    const framework = Object.entries(resources)
      .filter(
        ([id, r]) =>
          r.Type === 'AWS::Lambda::Function' &&
          String(r.Properties.Handler).startsWith('framework.') &&
          id.startsWith('ConnectionProvider'),
      )
      .map(([, r]) => r);
    expect(framework.map((r) => r.Properties.Handler).sort()).toEqual([
      'framework.isComplete',
      'framework.onEvent',
      'framework.onTimeout',
    ]);
    const everyFramework = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Handler).startsWith('framework.'),
    );
    expect(everyFramework.map((r) => r.Properties.Handler).sort()).toEqual([
      'framework.isComplete',
      'framework.onEvent',
      'framework.onEvent',
      'framework.onTimeout',
    ]);
    for (const fn of framework) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(2);
      expect(JSON.stringify(fn.Properties.KmsKeyArn)).toContain('OperationsKey');
      expect(fn.Properties.LoggingConfig).toMatchObject({
        LogGroup: { Ref: logicalId(connection.node.findChild('FrameworkLogs')) },
      });
    }
  });

  test('onEvent may read the one OAuth secret and the archive key state, and nothing else', () => {
    const statements = statementsOfRole(onEventRole);
    expect(actionsOf(statements)).toEqual([
      'kms:DescribeKey',
      'kms:GetKeyRotationStatus',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const secret = statements.find((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue'))!;
    expect(secret.Resource).toBe(
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:recording-archive/sample/genesys-oauth-??????',
    );
    const key = statements.find((s) => s.Sid === 'CheckArchiveKey')!;
    expect(JSON.stringify(key.Resource)).toContain('ArchiveKey');
    expect(resources[onEventRole].Properties.ManagedPolicyArns).toEqual([]);
  });

  test('isComplete may read the secret but not the key', () => {
    expect(actionsOf(statementsOfRole(isCompleteRole))).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(resources[isCompleteRole].Properties.ManagedPolicyArns).toEqual([]);
  });

  test('no connection or drift-check role touches S3 or decrypts, and the OAuth secret is the only readable secret', () => {
    const own = [onEventRole, isCompleteRole, driftRole].flatMap(statementsOfRole);
    expect(actionsOf(own).filter((a) => a.startsWith('s3:') || a === 'kms:Decrypt')).toEqual([]);
    const secretStatements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((st) => actionsOf([st]).some((a) => a.startsWith('secretsmanager:')));
    expect(new Set(secretStatements.map((st) => JSON.stringify(st.Resource)))).toEqual(
      new Set([
        JSON.stringify(
          'arn:aws:secretsmanager:us-east-1:111111111111:secret:recording-archive/sample/genesys-oauth-??????',
        ),
      ]),
    );
    expect(
      statementsOfRole(driftRole).filter((st) => actionsOf([st]).some((a) => a.startsWith('secretsmanager:'))),
    ).toEqual([]);
  });

  test('the framework roles have no managed policies and invoke only the two handlers', () => {
    for (const name of ['FrameworkOnEventRole', 'FrameworkCompleteRole']) {
      const role = logicalId(connection.node.findChild(name));
      expect(resources[role].Properties.ManagedPolicyArns).toBeUndefined();
      const invoke = statementsOfRole(role).find((s) => s.Action === 'lambda:InvokeFunction')!;
      expect(JSON.stringify(invoke.Resource)).toContain(logicalId(connection.onEventFunction.function));
      expect(JSON.stringify(invoke.Resource)).toContain(logicalId(connection.isCompleteFunction.function));
    }
  });

  test('a declared prefix migration reaches the handler', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      genesysIntegration: { ...c.genesysIntegration!, allowPrefixMigration: true },
    }));
    const migrating = Template.fromStack(buildEnvironment('sample', {}, config).stacks.genesys!);
    migrating.hasResourceProperties('Custom::GenesysConnection', { AllowPrefixMigration: 'true' });
  });

  test('a Genesys region without a Genesys domain fails at synth', () => {
    // The configuration refuses it first (test/config/errors.test.ts); the construct still
    // guards a config that skipped validation.
    const valid = loadConfig('sample');
    const config = { ...valid, region: 'eu-north-1', genesys: { ...valid.genesys, region: 'eu-north-1' } };
    expect(() => buildEnvironment('sample', {}, config)).toThrow(
      /^Genesys Cloud has no region eu-north-1; use one of us-east-1, us-east-2, .*, mx-central-1\.$/,
    );
  });
});

describe('Genesys export policy custom resource', () => {
  const policy = stack.exportPolicy;
  const policyRole = roleOf(policy.onEventFunction.function);

  test("references the connection's integration id and carries genesys.platformRetentionDays", () => {
    template.hasResourceProperties('Custom::GenesysExportPolicy', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportPolicyProviderframeworkonEvent'), 'Arn'] },
      PolicyName: 'recording-archive-sample',
      IntegrationId: { Ref: logicalId(connection.resource) },
      DeleteNativeCopy: 'true',
      DeleteRetentionDays: String(sample.config.genesys.platformRetentionDays),
      ShouldExportScreenRecordings: 'false',
      MediaTypes: ['call'],
      Queues: [],
      Directions: [],
      WrapupCodes: [],
      OAuthSecretName: 'recording-archive/sample/genesys-oauth',
      LoginBaseUrl: 'https://login.mypurecloud.com',
      ApiBaseUrl: 'https://api.mypurecloud.com',
    });
    expect(sample.config.genesys.platformRetentionDays).toBe(730);
  });

  test('its function may read the one OAuth secret, and nothing else but its logs and traces', () => {
    const statements = statementsOfRole(policyRole);
    expect(actionsOf(statements)).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    const secret = statements.find((st) => actionsOf([st]).includes('secretsmanager:GetSecretValue'))!;
    expect(secret.Resource).toBe(
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:recording-archive/sample/genesys-oauth-??????',
    );
    expect(resources[policyRole].Properties.ManagedPolicyArns).toEqual([]);
  });

  test('is synchronous: one framework function, no waiter, encrypted, capped and logging to its own group', () => {
    const framework = Object.entries(resources).filter(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('ExportPolicyProvider'),
    );
    expect(framework.map(([, r]) => r.Properties.Handler)).toEqual(['framework.onEvent']);
    const [, fn] = framework[0];
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(2);
    expect(JSON.stringify(fn.Properties.KmsKeyArn)).toContain('OperationsKey');
    expect(fn.Properties.LoggingConfig).toMatchObject({
      LogGroup: { Ref: logicalId(policy.node.findChild('FrameworkLogs')) },
    });
  });

  test('its framework role invokes only its handler', () => {
    const role = logicalId(policy.node.findChild('FrameworkOnEventRole'));
    const invoke = statementsOfRole(role).find((st) => st.Action === 'lambda:InvokeFunction')!;
    expect(JSON.stringify(invoke.Resource)).toContain(logicalId(policy.onEventFunction.function));
    expect(JSON.stringify(invoke.Resource)).not.toContain(logicalId(connection.onEventFunction.function));
  });

  test('conditions, media types and the native-delete switch come from config', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      genesysIntegration: {
        ...c.genesysIntegration!,
        exportPolicy: {
          deleteNativeCopy: false,
          shouldExportScreenRecordings: true,
          mediaTypes: ['call'],
          conditions: {
            queues: [{ id: 'q-1', name: 'Claims' }],
            directions: ['INBOUND'],
            wrapupCodes: [{ id: 'w-1', name: 'Resolved' }],
          },
        },
      },
    }));
    Template.fromStack(buildEnvironment('sample', {}, config).stacks.genesys!).hasResourceProperties(
      'Custom::GenesysExportPolicy',
      {
        DeleteNativeCopy: 'false',
        ShouldExportScreenRecordings: 'true',
        Queues: [{ Id: 'q-1', Name: 'Claims' }],
        Directions: ['INBOUND'],
        WrapupCodes: [{ Id: 'w-1', Name: 'Resolved' }],
      },
    );
  });

  test("prod's policy carries prod's platform window", () => {
    const prod = Template.fromStack(buildEnvironment('prod').stacks.genesys!);
    prod.hasResourceProperties('Custom::GenesysExportPolicy', {
      PolicyName: 'recording-archive-prod',
      DeleteRetentionDays: '2190',
    });
  });
});

describe('archive write alarms', () => {
  const topic = Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() });
  const dimensions = [
    { Name: 'BucketName', Value: Match.anyValue() },
    { Name: 'FilterId', Value: 'recordings' },
  ];

  test('"archive is silent": no PUT under the recordings prefix for silenceAlarmHours, missing data breaching, notifies the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3',
      MetricName: 'PutRequests',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 6 * 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test('denied writes: any 4xx under the recordings prefix, notifies the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3',
      MetricName: '4xxErrors',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test('both alarms watch the archive bucket and its topic from the archive stack', () => {
    const archiveTemplate = Template.fromStack(sample.stacks.archive);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (r) => r.Properties.Namespace === 'AWS/S3',
    );
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      const bucket = JSON.stringify(alarm.Properties.Dimensions[0].Value);
      expect(bucket).toContain('RecordingBucketRecordings626F58B9');
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('Alarms');
    }
    expect(Object.keys(archiveTemplate.findResources('AWS::SNS::Topic')).some((id) => id.startsWith('Alarms'))).toBe(
      true,
    );
  });

  test('silenceAlarmHours sets the period', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      genesysIntegration: { ...c.genesysIntegration!, silenceAlarmHours: 12 },
    }));
    Template.fromStack(buildEnvironment('sample', {}, config).stacks.genesys!).hasResourceProperties(
      'AWS::CloudWatch::Alarm',
      {
        MetricName: 'PutRequests',
        Period: 12 * 3600,
      },
    );
  });
});

describe('CIDR drift check', () => {
  test('runs on the configured schedule with the deployed list as input', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stack.ipRangesDriftCheck.function.function), 'Arn'] },
          Input: JSON.stringify({
            envName: 'sample',
            apiBaseUrl: 'https://api.mypurecloud.com',
            services: sampleCidrs.services,
            deployedCidrs: sampleCidrs.cidrs,
          }),
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
  });

  test('its role may only write its logs and traces', () => {
    expect(actionsOf(statementsOfRole(driftRole))).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(resources[driftRole].Properties.ManagedPolicyArns).toEqual([]);
  });

  test('alarms to the alarm topic on drift and on a failed run', () => {
    const topic = Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'RecordingArchive/Genesys',
      MetricName: 'CidrDrift',
      Dimensions: Match.arrayWith([
        { Name: 'Environment', Value: 'sample' },
        { Name: 'service', Value: 'genesys-ip-ranges-drift' },
      ]),
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.ipRangesDriftCheck.function.function) } }],
      Threshold: 1,
      AlarmActions: [topic],
    });
  });

  test('prod takes its schedule, secret and region from its own config', () => {
    const prod = Template.fromStack(buildEnvironment('prod').stacks.genesys!);
    prod.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    prod.hasResourceProperties('Custom::GenesysConnection', {
      OAuthSecretName: 'recording-archive/prod/genesys-oauth',
      Account: '222222222222',
    });
  });
});

describe('bundled code (the one bundling test of this stack)', () => {
  let fake: FakeGenesys;
  beforeAll(async () => {
    fake = await FakeGenesys.start();
  });
  afterAll(() => fake.stop());

  test('the esbuild bundle of the drift check runs and compares against the feed', async () => {
    const app = new App({
      context: { ...cdkContext(), env: 'sample', 'aws:cdk:bundling-stacks': ['RecordingArchive-sample-Genesys'] },
    });
    const { genesys } = createStacks(app, loadConfig('sample'));
    const assembly = app.synth();
    const fn = genesys!.ipRangesDriftCheck.function.function.node.defaultChild as CfnFunction;
    const s3Key = genesys!.resolve((fn.code as CfnFunction.CodeProperty).s3Key) as string;
    const bundle = path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.js');
    expect(fs.existsSync(bundle)).toBe(true);

    fake.state.ipRanges = [{ cidr: '192.0.2.0/24', service: 'data-actions', region: 'us-east-1' }];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { handler } = require(bundle) as { handler: (event: unknown) => Promise<unknown> };
      await expect(
        handler({
          envName: 'sample',
          apiBaseUrl: fake.baseUrl,
          services: ['data-actions'],
          deployedCidrs: ['192.0.2.0/24', '198.51.100.0/24'],
        }),
      ).resolves.toEqual({
        added: [],
        removed: ['198.51.100.0/24'],
      });
    } finally {
      write.mockRestore();
    }
  });
});
