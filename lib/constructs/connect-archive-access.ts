import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONNECT_FALLBACK_RULE_ID } from './connect-bucket-lifecycle';
import { ArchiveLifecycleProps, archiveLifecycleRules } from './lifecycle-rules';

/** Props for {@link ConnectArchiveAccess}. */
export interface ConnectArchiveAccessProps {
  /** The archive bucket. */
  readonly bucket: s3.Bucket;
  /** Prefix Connect writes under, ending with `/`. */
  readonly prefix: string;
  /** The archive's lifecycle (its prefix is replaced by `prefix`). */
  readonly lifecycle: ArchiveLifecycleProps;
}

/** Connect's service-linked role, whose name ends in a suffix Connect picks. */
export function connectServiceRoleArnPattern(stack: Stack): string {
  return `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_*`;
}

/** ID of the archive's fallback expiration for untagged Connect recordings under its Connect prefix. */
export const CONNECT_ARCHIVE_FALLBACK_RULE_ID = `connect-${CONNECT_FALLBACK_RULE_ID}`;

/**
 * The lifecycle of Connect's prefix in the archive: the archive's rules (compliance window,
 * transitions, one tag-filtered expiration per class) under `connect-` IDs, and a fallback
 * expiration of the whole prefix at the longest class in a rule of its own, so an untagged
 * recording (its CTR failed, or it predates the stack) goes on the longest class's day rather
 * than the window's. S3 applies the shorter of overlapping expirations, so the fallback never
 * shortens a class, and the window still caps every class.
 */
export function connectArchiveLifecycleRules(props: ArchiveLifecycleProps, prefix: string): s3.LifecycleRule[] {
  const rules = archiveLifecycleRules({ ...props, prefix }).map((rule) => ({ ...rule, id: `connect-${rule.id}` }));
  const longest = Math.max(...Object.values(props.retentionClasses));
  rules.push({
    id: CONNECT_ARCHIVE_FALLBACK_RULE_ID,
    prefix,
    expiration: Duration.days(longest),
    noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
  });
  return rules;
}

/**
 * The archive's side of Connect writing call recordings into it. Connect's access itself comes from
 * the association (`AWS::Connect::InstanceStorageConfig`): Connect adds an inline policy for the
 * bucket and prefix to its service-linked role and creates a KMS grant on the archive key, so the
 * bucket policy keeps no Allow statement. What this adds: the service-linked role may write, tag
 * or delete nowhere in the bucket outside the prefix (whatever its inline policy says), and the
 * prefix gets the archive's lifecycle (compliance window, transitions, one rule per retention
 * class) under its own rule IDs, and the untagged fallback ({@link connectArchiveLifecycleRules}).
 */
export class ConnectArchiveAccess extends Construct {
  constructor(scope: Construct, id: string, props: ConnectArchiveAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const connectRole = { ArnLike: { 'aws:PrincipalArn': connectServiceRoleArnPattern(stack) } };

    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyConnectOutsideItsPrefix',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectTagging'],
        notResources: [props.bucket.arnForObjects(`${props.prefix}*`)],
        conditions: { ArnLike: connectRole.ArnLike },
      }),
    );
    for (const rule of connectArchiveLifecycleRules(props.lifecycle, props.prefix)) props.bucket.addLifecycleRule(rule);
  }
}
