import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props for {@link RecordingReaderRole}. */
export interface RecordingReaderRoleProps {
  /** The archive bucket. */
  readonly bucket: s3.Bucket;
  /** The archive key. */
  readonly key: kms.IKey;
  /** Prefix of every recording, ending with `/`. */
  readonly recordingsPrefix: string;
  /** ARNs of the roles that may assume the reader role. */
  readonly assumedByRoleArns: readonly string[];
}

/**
 * The `recording-reader` role for auditors: list, read (every version, tags, retention and
 * legal-hold status), restore from the archive tiers and presign under the recordings prefix;
 * no delete, no hold, no retention change, nothing outside the prefix.
 */
export class RecordingReaderRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RecordingReaderRoleProps) {
    super(scope, id);
    if (props.assumedByRoleArns.length === 0) {
      throw new Error(
        'RecordingReaderRole needs at least one role that may assume it; set operations.readerRole.assumedByRoleNames.',
      );
    }
    this.role = new iam.Role(this, 'Role', {
      description: 'recording-reader: read, restore and presign archived recordings (no delete, no hold)',
      assumedBy: new iam.CompositePrincipal(...props.assumedByRoleArns.map((arn) => new iam.ArnPrincipal(arn))),
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ListRecordings',
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [props.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${props.recordingsPrefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadAndRestoreRecordings',
          actions: [
            's3:GetObject',
            's3:GetObjectVersion',
            's3:GetObjectTagging',
            's3:GetObjectVersionTagging',
            's3:GetObjectRetention',
            's3:GetObjectLegalHold',
            's3:RestoreObject',
          ],
          resources: [props.bucket.arnForObjects(`${props.recordingsPrefix}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'DecryptThroughS3',
          actions: ['kms:Decrypt'],
          resources: [props.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      ],
    });
    const bucketId = Stack.of(this).getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${props.recordingsPrefix}*]`,
      reason:
        'Auditors read whichever recording they are asked for under the prefix; nothing outside it, and no write, delete or hold.',
    });
  }
}
