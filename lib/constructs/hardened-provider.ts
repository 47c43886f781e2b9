import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ArchiveFunction } from './archive-function';
import { acknowledge, COMPLIANCE_PACKS } from './nag-findings';

/** Why a custom-resource handler needs no dead-letter queue (its `failureHandling`). */
export const PROVIDER_HANDLER_FAILURE_HANDLING =
  'Invoked synchronously by the provider framework, which reports any failure to CloudFormation; a dead-letter queue applies only to asynchronous invocations.';

/** Props for {@link createHardenedProvider}. */
export interface HardenedProviderProps {
  /** The custom resource's onEvent handler. */
  readonly onEvent: ArchiveFunction;
  /**
   * The isComplete handler of an asynchronous custom resource.
   * @default - synchronous: no waiter state machine
   */
  readonly isComplete?: ArchiveFunction;
  /** Key for the framework's log groups and environment. */
  readonly key: kms.IKey;
  /** @default Duration.seconds(15) (only with isComplete) */
  readonly queryInterval?: Duration;
  /** @default Duration.minutes(15) (only with isComplete) */
  readonly totalTimeout?: Duration;
}

/**
 * The custom_resources.Provider of every custom resource of this app, created in `scope`: the
 * framework gets roles of its own (no AWS managed policy, log writes to its own KMS-encrypted log
 * group only), an encrypted environment, reserved concurrency, and with isComplete a logged and
 * traced waiter; what the framework fixes itself is acknowledged per resource.
 */
export function createHardenedProvider(scope: Construct, props: HardenedProviderProps): cr.Provider {
  const newLogGroup = (id: string) =>
    new logs.LogGroup(scope, id, {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  const frameworkLogs = newLogGroup('FrameworkLogs');
  const frameworkRole = (id: string) => {
    const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    frameworkLogs.grantWrite(role);
    return role;
  };
  const waiterLogs = props.isComplete ? newLogGroup('WaiterLogs') : undefined;
  const provider = new cr.Provider(scope, 'Provider', {
    onEventHandler: props.onEvent.function,
    frameworkOnEventRole: frameworkRole('FrameworkOnEventRole'),
    logGroup: frameworkLogs,
    providerFunctionEnvEncryption: props.key,
    ...(props.isComplete && waiterLogs
      ? {
          isCompleteHandler: props.isComplete.function,
          queryInterval: props.queryInterval ?? Duration.seconds(15),
          totalTimeout: props.totalTimeout ?? Duration.minutes(15),
          frameworkCompleteAndTimeoutRole: frameworkRole('FrameworkCompleteRole'),
          disableWaiterStateMachineLogging: false,
          waiterStateMachineLogOptions: {
            destination: waiterLogs,
            level: sfn.LogLevel.ALL,
            includeExecutionData: false,
          },
        }
      : {}),
  });
  hardenFramework(scope, provider, props);
  return provider;
}

/** Reserved concurrency and waiter tracing through the L1 resources; the rest acknowledged. */
function hardenFramework(scope: Construct, provider: cr.Provider, props: HardenedProviderProps): void {
  const stack = Stack.of(scope);
  const invokeIds = (fns: readonly lambda.IFunction[]) =>
    fns.map(
      (fn) => `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
    );
  const invokeReason =
    'The provider framework grants lambda:InvokeFunction on the handler and its versions and aliases (ARN:*); it invokes nothing else.';
  const inlineReason =
    "The provider framework adds its grants to this role's inline default policy; the role serves only this custom resource and is reviewed in the template.";
  const frameworkFunction = (name: string) => provider.node.findChild(name) as lambda.Function;
  const handlers = [props.onEvent, ...(props.isComplete ? [props.isComplete] : [])].map((h) => h.function);

  const names = props.isComplete
    ? ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout']
    : ['framework-onEvent'];
  for (const name of names) {
    const fn = frameworkFunction(name);
    // One custom resource, one deployment at a time: a cap of 2 leaves room for a retry.
    (fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 2;
    acknowledge(
      fn,
      COMPLIANCE_PACKS.map((p) => `${p}-LambdaInsideVPC`),
      "The framework function calls only Lambda, Step Functions and CloudFormation's response URL; a VPC would add NAT cost without isolating anything.",
    );
    acknowledge(
      fn,
      ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'],
      'A failed framework invocation is reported to CloudFormation, which fails the stack operation; a queued event could not be replayed into that operation.',
    );
  }
  const roles = props.isComplete ? ['FrameworkOnEventRole', 'FrameworkCompleteRole'] : ['FrameworkOnEventRole'];
  for (const id of roles) {
    const policy = scope.node.findChild(id).node.findChild('DefaultPolicy').node.defaultChild!;
    acknowledge(policy, invokeIds(handlers), invokeReason);
    acknowledge(
      policy,
      COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`),
      inlineReason,
    );
  }
  if (!props.isComplete) return;

  // The waiter state machine: X-Ray tracing on; its role keeps CDK's log-delivery grant.
  const waiter = provider.node.findChild('waiter-state-machine');
  (waiter.node.findChild('Resource') as sfn.CfnStateMachine).tracingConfiguration = { enabled: true };
  const waiterRole = waiter.node.findChild('Role') as iam.Role;
  waiterRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ],
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
    invokeIds([frameworkFunction('framework-isComplete'), frameworkFunction('framework-onTimeout')]),
    invokeReason,
  );
  acknowledge(
    waiterPolicy,
    COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`),
    inlineReason,
  );
}
