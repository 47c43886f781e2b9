import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props for {@link ArchiveKey}. */
export interface ArchiveKeyProps {
  /** Environment name, used in the alias and description. */
  readonly envName: string;
}

/**
 * The customer-managed KMS key that encrypts every recording: rotation on, an alias for
 * people, and never deleted by a stack update or delete.
 */
export class ArchiveKey extends Construct {
  /** The key; grant through it, refer to it by ARN. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ArchiveKeyProps) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts call recordings in the ${props.envName} recording archive`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
      // Aliases are for people; every policy and integration refers to the key ARN (E2).
      alias: `alias/recording-archive/${props.envName}`,
    });
  }
}
