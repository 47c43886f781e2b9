import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props for {@link GenesysAccessRole}. */
export interface GenesysAccessRoleProps {
  /** The recording bucket Genesys writes into. */
  readonly bucket: s3.IBucket;
  /** The key that encrypts the bucket. */
  readonly key: kms.Key;
  /** Prefix Genesys may write under, ending with `/`. */
  readonly prefix: string;
  /** AWS account Genesys writes from. */
  readonly trustedAccountId: string;
  /** Genesys organization id: the role's `sts:ExternalId`. */
  readonly externalId: string;
  /** Source CIDR ranges Genesys writes from; writes from anywhere else are denied. */
  readonly allowedCidrs: readonly string[];
}

/**
 * The role Genesys Cloud assumes to export recordings: trusted only by the Genesys account with
 * the organization id as external id, allowed to put objects and list under the prefix, read
 * the bucket location and encryption and use the key through S3, send only the
 * `bucket-owner-full-control` ACL; denied writes from outside the CIDRs.
 */
export class GenesysAccessRole extends Construct {
  /** The role Genesys assumes. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GenesysAccessRoleProps) {
    super(scope, id);
    if (props.allowedCidrs.length === 0) {
      throw new Error('GenesysAccessRole: allowedCidrs is empty; give the CIDR ranges Genesys writes from.');
    }
    const viaS3 = { 'kms:ViaService': `s3.${props.key.env.region}.amazonaws.com` };

    // Trust: only the Genesys account, only for this organization.
    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by Genesys Cloud to export call recordings into the archive',
      assumedBy: new iam.AccountPrincipal(props.trustedAccountId),
      externalIds: [props.externalId],
    });

    // Identity policy: a customer-managed policy, because the key policy names the role and an
    // inline policy naming the key would make the role and the key depend on each other.
    const objectsUnderPrefix = props.bucket.arnForObjects(`${props.prefix}*`);
    const exportPolicy = new iam.ManagedPolicy(this, 'ExportPolicy', {
      description: 'Lets Genesys Cloud write recordings under the archive prefix',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteRecordings',
          actions: ['s3:PutObject'],
          resources: [objectsUnderPrefix],
        }),
        new iam.PolicyStatement({
          // Genesys may send `x-amz-acl: bucket-owner-full-control` with each PUT, which S3 authorizes as
          // s3:PutObjectAcl too (weak evidence: a public Terraform configuration grants it). Only that ACL:
          // with BucketOwnerEnforced it is the one ACL S3 still accepts, and it changes nothing.
          sid: 'WriteRecordingsWithOwnerAcl',
          actions: ['s3:PutObjectAcl'],
          resources: [objectsUnderPrefix],
          conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        }),
        new iam.PolicyStatement({
          sid: 'ListRecordings',
          actions: ['s3:ListBucket'],
          resources: [props.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${props.prefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadBucketLocation',
          // GetEncryptionConfiguration: Genesys may read the default encryption before it writes (same evidence).
          actions: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseArchiveKeyThroughS3',
          // Decrypt is needed to complete multipart uploads of large recordings.
          actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'],
          resources: [props.key.keyArn],
          conditions: { StringEquals: viaS3 },
        }),
      ],
    });
    Validations.of(exportPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.bucket.node.defaultChild as CfnElement)}.Arn>/${props.prefix}*]`,
      reason:
        'Genesys names each recording object at export time, so writes are scoped to the recordings prefix; the bucket policy further limits them to the Genesys CIDRs and the archive key.',
    });

    // Bucket policy: a Deny, because an Allow with IpAddress restricts nothing for a role whose
    // own policy already allows the write.
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGenesysWritesOutsideAllowedCidrs',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject', 's3:PutObjectAcl'],
        resources: [props.bucket.arnForObjects('*')],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': this.role.roleArn },
          NotIpAddress: { 'aws:SourceIp': [...props.allowedCidrs] },
        },
      }),
    );

    // Key policy: the role may use the key through S3 in this region, and nothing else.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowGenesysRoleThroughS3',
        principals: [new iam.ArnPrincipal(this.role.roleArn)],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: viaS3 },
      }),
    );
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGenesysRoleOutsideS3',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:*'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': this.role.roleArn },
          StringNotEquals: viaS3,
        },
      }),
    );
  }
}
