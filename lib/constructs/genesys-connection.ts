import * as path from 'path';
import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { genesysBaseUrls } from '../../lambda/shared/genesys/wire';
import { ArchiveFunction } from './archive-function';

/** Why the custom-resource handlers need no dead-letter queue. */
const SYNC_FAILURE_HANDLING =
  'Invoked synchronously by the provider framework, which reports any failure to CloudFormation; a dead-letter queue applies only to asynchronous invocations.';
import { acknowledge, COMPLIANCE_PACKS } from './nag-findings';

/** Props for {@link GenesysConnection}. */
export interface GenesysConnectionProps {
  /** Environment name; names the integration and its credential in Genesys. */
  readonly envName: string;
  /** The bucket Genesys exports into. */
  readonly bucket: s3.IBucket;
  /** The archive key, checked (E2) and written into the integration by ARN. */
  readonly key: kms.IKey;
  /** The role Genesys assumes; its ARN becomes the integration's credential. */
  readonly genesysRole: iam.IRole;
  /** Recordings prefix, ending with `/`; a change is refused on update unless `allowPrefixMigration` (E3). */
  readonly prefix: string;
  /** AWS region of the Genesys organization; selects the login and API hosts. */
  readonly genesysRegion: string;
  /** Name of the Secrets Manager secret holding `{ "clientId", "clientSecret" }`; only this secret is readable. */
  readonly oauthSecretName: string;
  /** Allow a prefix change for a planned migration (E3). */
  readonly allowPrefixMigration: boolean;
  /** Encrypts log groups and function environments. */
  readonly operationsKey: kms.IKey;
  /**
   * How long the deploy waits for Genesys to report the integration active.
   * @default Duration.minutes(15)
   */
  readonly totalTimeout?: Duration;
}

/**
 * Registers the archive bucket with Genesys Cloud as an AWS S3 recording bulk actions
 * integration through a custom resource (onEvent + isComplete). The OAuth client comes from a
 * Secrets Manager secret at run time: templates, logs and responses carry only its name.
 */
export class GenesysConnection extends Construct {
  /** The custom resource; its `ref` is the Genesys integration id. */
  readonly resource: CustomResource;
  /** The handler functions (for tests and alarms). */
  readonly onEventFunction: ArchiveFunction;
  readonly isCompleteFunction: ArchiveFunction;
  readonly provider: cr.Provider;

  constructor(scope: Construct, id: string, props: GenesysConnectionProps) {
    super(scope, id);
    // Fails at synth for a region Genesys does not serve.
    const urls = genesysBaseUrls(props.genesysRegion);
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'OAuthSecret', props.oauthSecretName);

    // Handlers: read the one secret; onEvent also reads the archive key's state (E2).
    this.onEventFunction = new ArchiveFunction(this, 'OnEvent', {
      failureHandling: SYNC_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'genesys-connection', 'on-event.ts'),
      description: 'Creates, updates and deletes the Genesys S3 recording bulk actions integration',
      timeout: Duration.minutes(3),
      key: props.operationsKey,
      reservedConcurrentExecutions: 2,
    });
    this.isCompleteFunction = new ArchiveFunction(this, 'IsComplete', {
      failureHandling: SYNC_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'genesys-connection', 'is-complete.ts'),
      description: 'Waits until Genesys reports the S3 recording bulk actions integration active',
      timeout: Duration.minutes(3),
      key: props.operationsKey,
      reservedConcurrentExecutions: 2,
    });
    for (const fn of [this.onEventFunction, this.isCompleteFunction]) {
      secret.grantRead(fn.function);
    }
    this.onEventFunction.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CheckArchiveKey',
        actions: ['kms:DescribeKey', 'kms:GetKeyRotationStatus'],
        resources: [props.key.keyArn],
      }),
    );

    // Provider framework: its own roles (no managed policies), encrypted logs and environment.
    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.operationsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const waiterLogs = new logs.LogGroup(this, 'WaiterLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.operationsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const frameworkRole = (name: string) => {
      const role = new iam.Role(this, name, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      frameworkLogs.grantWrite(role);
      return role;
    };
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction.function,
      isCompleteHandler: this.isCompleteFunction.function,
      queryInterval: Duration.seconds(15),
      totalTimeout: props.totalTimeout ?? Duration.minutes(15),
      frameworkOnEventRole: frameworkRole('FrameworkOnEventRole'),
      frameworkCompleteAndTimeoutRole: frameworkRole('FrameworkCompleteRole'),
      logGroup: frameworkLogs,
      providerFunctionEnvEncryption: props.operationsKey,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: { destination: waiterLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    this.hardenFramework([this.onEventFunction, this.isCompleteFunction]);

    const { account } = Stack.of(this);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::GenesysConnection',
      properties: {
        IntegrationName: `recording-archive-${props.envName}`,
        CredentialName: `recording-archive-${props.envName}-role`,
        RoleArn: props.genesysRole.roleArn,
        BucketName: props.bucket.bucketName,
        BucketRegion: props.bucket.env.region,
        KmsKeyArn: props.key.keyArn,
        Prefix: props.prefix,
        Account: account,
        OAuthSecretName: props.oauthSecretName,
        LoginBaseUrl: urls.loginBaseUrl,
        ApiBaseUrl: urls.apiBaseUrl,
        AllowPrefixMigration: String(props.allowPrefixMigration),
      },
    });
  }
  /**
   * The provider framework's own functions, roles and waiter: reserved concurrency and X-Ray
   * tracing set through their L1 resources; what cannot be changed is acknowledged per resource.
   */
  private hardenFramework(handlers: readonly ArchiveFunction[]): void {
    const invokeIds = (fns: readonly lambda.IFunction[]) =>
      fns.map((fn) => `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`);
    const invokeReason =
      'The provider framework grants lambda:InvokeFunction on the handler and its versions and aliases (ARN:*); it invokes nothing else.';
    const inlineReason =
      "The provider framework adds its grants to this role's inline default policy; the role serves only this custom resource and is reviewed in the template.";

    for (const name of ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout']) {
      const fn = this.provider.node.findChild(name) as lambda.Function;
      (fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 2;
      acknowledge(
        fn,
        COMPLIANCE_PACKS.map((p) => `${p}-LambdaInsideVPC`),
        'The framework function calls only Lambda, Step Functions and CloudFormation\'s response URL; a VPC would add NAT cost without isolating anything.',
      );
      acknowledge(
        fn,
        ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'],
        'A failed framework invocation is reported to CloudFormation, which fails the stack operation; a queued event could not be replayed into that operation.',
      );
    }
    for (const role of [this.node.findChild('FrameworkOnEventRole'), this.node.findChild('FrameworkCompleteRole')]) {
      const policy = role.node.findChild('DefaultPolicy').node.defaultChild!;
      acknowledge(policy, invokeIds(handlers.map((h) => h.function)), invokeReason);
      acknowledge(policy, COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`), inlineReason);
    }

    // The waiter state machine: X-Ray tracing on; its role keeps CDK's log-delivery grant.
    const waiter = this.provider.node.findChild('waiter-state-machine');
    (waiter.node.findChild('Resource') as sfn.CfnStateMachine).tracingConfiguration = { enabled: true };
    const waiterRole = waiter.node.findChild('Role') as iam.Role;
    waiterRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
      }),
    );
    const waiterPolicy = waiterRole.node.findChild('DefaultPolicy').node.defaultChild!;
    acknowledge(
      waiterPolicy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'CloudWatch Logs delivery actions (logs:CreateLogDelivery and related) and X-Ray actions have no resource-level permissions, so Step Functions logging and tracing need "*".',
    );
    acknowledge(
      waiterPolicy,
      invokeIds([this.provider.node.findChild('framework-isComplete') as lambda.IFunction, this.provider.node.findChild('framework-onTimeout') as lambda.IFunction]),
      invokeReason,
    );
    acknowledge(waiterPolicy, COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`), inlineReason);
  }
}
