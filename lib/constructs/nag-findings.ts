import { App, Names, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';

/** The compliance packs that report the same S3, Lambda and IAM rules under their own prefixes. */
export const COMPLIANCE_PACKS = ['HIPAA.Security', 'PCI.DSS.321', 'NIST.800.53.R5'] as const;

/** Acknowledges each finding id on one construct with one reason. */
export function acknowledge(construct: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(construct).acknowledge({ id, reason });
}

/** Acknowledges one rule on one construct, once per compliance pack that reports it. */
export function acknowledgeEachPack(construct: IConstruct, rule: string, reason: string): void {
  acknowledge(
    construct,
    COMPLIANCE_PACKS.map((pack) => `${pack}-${rule}`),
    reason,
  );
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
    if (typeof arn !== 'string') {
      throw new Error(
        `The ARN of the imported bucket ${bucket.node.path} does not resolve to a string; give the stack an account and region.`,
      );
    }
    return [arn];
  }
  const producer = Stack.of(cfn);
  const logicalId = producer.resolve(cfn.logicalId) as string;
  if (producer === consumer) return [`<${logicalId}.Arn>`];
  // The logical ID CDK gives the producer's output for this reference (core/lib/private/refs createGetStackOutput).
  const output = new Construct(
    new Construct(new App({ autoSynth: false }), 'Publish'),
    `Output${JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] })}`,
  );
  const reference = {
    'Fn::GetStackOutput': {
      StackName: producer.stackName,
      Region: producer.region,
      OutputName: Names.uniqueId(output),
    },
  };
  return [`<${logicalId}.Arn>`, JSON.stringify(reference)];
}
