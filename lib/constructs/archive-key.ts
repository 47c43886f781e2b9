import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { exceptPrincipals } from './policy-conditions';

/** Props for {@link ArchiveKey}. */
export interface ArchiveKeyProps {
  /** Environment name, used in the alias and description. */
  readonly envName: string;
  /**
   * ARNs of the roles that alone may schedule the key's deletion or disable it.
   * @default - nobody may
   */
  readonly breakGlassRoleArns?: readonly string[];
  /**
   * The key's alias.
   * @default `alias/recording-archive/<envName>`
   */
  readonly alias?: string;
  /**
   * The key's description.
   * @default 'Encrypts call recordings in the <envName> recording archive'
   */
  readonly description?: string;
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
      description: props.description ?? `Encrypts call recordings in the ${props.envName} recording archive`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
      // Aliases are for people; every policy and integration refers to the key ARN (E2).
      alias: props.alias ?? `alias/recording-archive/${props.envName}`,
    });

    // Deleting or disabling this key makes every recording unreadable; only break-glass roles
    // may start either. (PutKeyPolicy stays with the account, or KMS would refuse the policy.)
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyKeyDeletionExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'],
        resources: ['*'],
        conditions: exceptPrincipals(props.breakGlassRoleArns),
      }),
    );
  }
}
