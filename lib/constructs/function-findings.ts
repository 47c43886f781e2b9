import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ArchiveFunction } from './archive-function';

/** The compliance packs that carry the same Lambda and IAM rules. */
export const COMPLIANCE_PACKS = ['HIPAA.Security', 'PCI.DSS.321', 'NIST.800.53.R5'] as const;

/** Acknowledges each finding id on one construct with one reason. */
export function acknowledge(construct: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(construct).acknowledge({ id, reason });
}

/**
 * Least privilege for an {@link ArchiveFunction}'s role: drops the AWSLambdaBasicExecutionRole
 * managed policy (logs:CreateLogGroup and writes to every log group) for writes to the
 * function's own log group, and acknowledges the findings its defaults raise on that role.
 */
export function tightenFunctionRole(fn: ArchiveFunction, dlqReason: string): void {
  const role = fn.function.role as iam.Role;
  (role.node.defaultChild as iam.CfnRole).managedPolicyArns = [];
  fn.logGroup.grantWrite(fn.function);

  const policy = role.node.findChild('DefaultPolicy');
  acknowledge(
    policy.node.defaultChild!,
    ['AwsSolutions-IAM5[Resource::*]'],
    'Only the X-Ray statement uses "*": xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; every other statement names its resource.',
  );
  acknowledge(
    policy.node.defaultChild!,
    COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`),
    "The inline policy belongs to this function's own role, is created and deleted with it, and is reviewed in the template; a managed policy would only add a separately attachable copy.",
  );
  acknowledge(
    fn.function,
    ['AwsSolutions-L1'],
    'Node.js 22 is the runtime every function of this app is pinned to and tested on (ArchiveFunction); a newer runtime is one project-wide change.',
  );
  acknowledge(fn.function, ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'], dlqReason);
}
