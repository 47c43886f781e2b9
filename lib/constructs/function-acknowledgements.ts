import { App, Names, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { ArchiveFunction } from './archive-function';

const PACKS = ['HIPAA.Security', 'PCI.DSS.321', 'NIST.800.53.R5'] as const;

/** The inline policy CDK creates on a function's role for its grants. */
export function defaultPolicy(fn: lambda.IFunction): IConstruct {
  return (fn.role as iam.Role).node.findChild('DefaultPolicy');
}

/**
 * How cdk-nag spells a bucket's ARN in a finding id. An imported bucket: its ARN. A bucket of
 * this app in another stack: `<LogicalId.Arn>` when the packs run on the construct tree (tests),
 * and the weak cross-stack reference (`Fn::GetStackOutput` of the producer's `Publish` output)
 * when they run after synthesis (`cdk synth`); both spellings name the same single finding.
 */
export function nagBucketArns(bucket: s3.IBucket, consumer: Stack): string[] {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    const arn: unknown = consumer.resolve(bucket.bucketArn);
    if (typeof arn !== 'string') throw new Error(`The ARN of the imported bucket ${bucket.node.path} does not resolve to a string; give the stack an account and region.`);
    return [arn];
  }
  const producer = Stack.of(cfn);
  const logicalId = producer.resolve(cfn.logicalId) as string;
  if (producer === consumer) return [`<${logicalId}.Arn>`];
  // The logical ID CDK gives the producer's output for this reference (core/lib/private/refs createGetStackOutput).
  const output = new Construct(new Construct(new App({ autoSynth: false }), 'Publish'), `Output${JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] })}`);
  const reference = { 'Fn::GetStackOutput': { StackName: producer.stackName, Region: producer.region, OutputName: Names.uniqueId(output) } };
  return [`<${logicalId}.Arn>`, JSON.stringify(reference)];
}

/**
 * Acknowledges what a CDK-made function role raises by construction, one finding per resource:
 * the AWS managed basic execution role, and the role's inline default policy that CDK grants
 * write into.
 */
export function acknowledgeRoleDefaults(fn: lambda.IFunction): void {
  const role = fn.role as iam.Role;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The AWS managed basic execution role grants only log-stream creation and log writes.',
  });
  const policy = defaultPolicy(fn);
  for (const pack of PACKS) {
    Validations.of(policy).acknowledge({
      id: `${pack}-IAMNoInlinePolicy`,
      reason: "It is the role's own default policy that CDK grants write into, attached to this one role and reviewed in the template.",
    });
  }
}

/**
 * Acknowledges what an {@link ArchiveFunction} raises by its defaults: the role's defaults above,
 * X-Ray's resource-less actions (tracing is on) and the pinned Node.js 22 runtime.
 */
export function acknowledgeArchiveFunctionDefaults(archiveFunction: ArchiveFunction): void {
  const fn = archiveFunction.function;
  acknowledgeRoleDefaults(fn);
  Validations.of(defaultPolicy(fn)).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'ArchiveFunction pins nodejs22.x, the runtime the bundled SDK and the tests run against; upgrades are deliberate.',
  });
}
