import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { exceptPrincipals } from './policy-conditions';

/** Prefix of the holds log: one locked JSON object per hold or release. */
export const HOLDS_PREFIX = 'holds/';
/** Lifecycle rule of the holds log (noncurrent versions and uploads only: the log itself is kept). */
export const HOLDS_LIFECYCLE_RULE_ID = 'holds-log-cleanup';

/** Props for {@link LegalHold}. */
export interface LegalHoldProps {
  /** The archive bucket. */
  readonly bucket: s3.Bucket;
  /**
   * ARNs of the roles that may place or lift legal holds (besides the Batch Operations role).
   * @default - nobody but the Batch Operations role
   */
  readonly holdRoleArns?: readonly string[];
  /** The Batch Operations role that places holds in bulk for those roles. */
  readonly batchOperationsRoleArn: string;
}

/**
 * Who may place or lift S3 legal holds on the archive: a bucket-policy deny of
 * `s3:PutObjectLegalHold` for every principal except the named hold roles and the stack's Batch
 * Operations role, and the lifecycle of the `holds/` log (kept; only noncurrent versions and
 * incomplete uploads are cleaned up).
 */
export class LegalHold extends Construct {
  constructor(scope: Construct, id: string, props: LegalHoldProps) {
    super(scope, id);
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyLegalHoldExceptHoldRoles',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObjectLegalHold'],
        resources: [props.bucket.arnForObjects('*')],
        conditions: exceptPrincipals([...(props.holdRoleArns ?? []), props.batchOperationsRoleArn]),
      }),
    );
    props.bucket.addLifecycleRule({
      id: HOLDS_LIFECYCLE_RULE_ID,
      prefix: HOLDS_PREFIX,
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
  }
}
