import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BatchOperationsRole } from './batch-operations-role';
import { LegalHold } from './legal-hold';
import { RecordingReaderRole } from './recording-reader-role';
import { RecordingSearch } from './recording-search';

/** Props for {@link ArchiveOperations}. */
export interface ArchiveOperationsProps {
  readonly envName: string;
  /** The archive bucket. */
  readonly bucket: s3.Bucket;
  /** The archive key. */
  readonly key: kms.IKey;
  /** The access-log bucket: Athena results and the inventory live there. */
  readonly accessLogBucket: s3.Bucket;
  /** Encrypts Athena results. */
  readonly operationsKey: kms.IKey;
  readonly recordingsPrefix: string;
  readonly organizationId: string;
  /** Role names that alone may place or lift legal holds. */
  readonly legalHoldRoleNames: readonly string[];
  /**
   * Role names that may assume the `recording-reader` role.
   * @default - no reader role
   */
  readonly readerAssumedByRoleNames?: readonly string[];
  readonly athenaResultsExpirationDays: number;
  readonly athenaFirstYear: number;
  /** Days Batch Operations manifests and reports are kept. */
  readonly batchManifestDays: number;
  /**
   * Other prefixes of recordings bulk holds and restores act on (Connect's `connect/` in the archive).
   * @default - none
   */
  readonly otherRecordingPrefixes?: readonly string[];
}

/**
 * Day-2 operations of the archive (`npm run archive`): the Batch Operations role, who may hold,
 * the optional reader role and Athena search, with the outputs the CLI and auditors need.
 */
export class ArchiveOperations extends Construct {
  readonly batchOperationsRole: iam.Role;
  readonly readerRole?: iam.Role;
  readonly search: RecordingSearch;

  constructor(scope: Construct, id: string, props: ArchiveOperationsProps) {
    super(scope, id);
    const roleArn = (name: string) =>
      Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name });

    this.batchOperationsRole = new BatchOperationsRole(this, 'BatchOperations', {
      bucket: props.bucket,
      key: props.key,
      recordingsPrefix: props.recordingsPrefix,
      manifestDays: props.batchManifestDays,
      otherRecordingPrefixes: props.otherRecordingPrefixes,
    }).role;
    new LegalHold(this, 'LegalHold', {
      bucket: props.bucket,
      holdRoleArns: props.legalHoldRoleNames.map(roleArn),
      batchOperationsRoleArn: this.batchOperationsRole.roleArn,
    });
    if (props.readerAssumedByRoleNames?.length) {
      this.readerRole = new RecordingReaderRole(this, 'Reader', {
        bucket: props.bucket,
        key: props.key,
        recordingsPrefix: props.recordingsPrefix,
        assumedByRoleArns: props.readerAssumedByRoleNames.map(roleArn),
      }).role;
    }
    this.search = new RecordingSearch(this, 'Search', {
      envName: props.envName,
      bucket: props.bucket,
      recordingsPrefix: props.recordingsPrefix,
      organizationId: props.organizationId,
      resultsBucket: props.accessLogBucket,
      resultsKey: props.operationsKey,
      resultsExpirationDays: props.athenaResultsExpirationDays,
      firstYear: props.athenaFirstYear,
    });

    new CfnOutput(this, 'BatchOperationsRoleArn', {
      value: this.batchOperationsRole.roleArn,
      description: 'Role of bulk holds and restores (archive --batch-role-arn)',
    });
    if (this.readerRole)
      new CfnOutput(this, 'ReaderRoleArn', {
        value: this.readerRole.roleArn,
        description: 'recording-reader role for auditors',
      });
    new CfnOutput(this, 'AthenaWorkGroup', {
      value: this.search.workGroupName,
      description: 'Athena workgroup of archive search',
    });
    new CfnOutput(this, 'GlueDatabase', {
      value: this.search.databaseName,
      description: 'Glue database of the sidecar and inventory tables',
    });
  }
}
