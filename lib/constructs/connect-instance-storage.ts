import * as connect from 'aws-cdk-lib/aws-connect';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props for {@link ConnectInstanceStorage}. */
export interface ConnectInstanceStorageProps {
  /** The Connect instance. */
  readonly instanceArn: string;
  /**
   * Stream the instance sends contact trace records to.
   * @default - no CTR association (the instance already streams to `existingStreamArn`)
   */
  readonly ctrStreamArn?: string;
  /**
   * Where the instance writes call recordings.
   * @default - recordings stay where the instance writes them today
   */
  readonly callRecordings?: {
    readonly bucket: s3.IBucket;
    /** Connect adds `YYYY/MM/DD/` after it. */
    readonly bucketPrefix: string;
    readonly key: kms.IKey;
  };
}

/**
 * The instance's data storage: contact trace records to the Kinesis stream, and optionally call
 * recordings into the archive bucket with the archive key. Connect sends CTRs to one stream and
 * keeps one call-recording location, so an instance that already has either answers a conflict
 * and CloudFormation rolls the stack back (docs/connect.md says what to do).
 */
export class ConnectInstanceStorage extends Construct {
  readonly ctrStream?: connect.CfnInstanceStorageConfig;
  readonly callRecordings?: connect.CfnInstanceStorageConfig;

  constructor(scope: Construct, id: string, props: ConnectInstanceStorageProps) {
    super(scope, id);
    if (props.ctrStreamArn) {
      this.ctrStream = new connect.CfnInstanceStorageConfig(this, 'CtrStream', {
        instanceArn: props.instanceArn,
        resourceType: 'CONTACT_TRACE_RECORDS',
        storageType: 'KINESIS_STREAM',
        kinesisStreamConfig: { streamArn: props.ctrStreamArn },
      });
    }
    if (props.callRecordings) {
      this.callRecordings = new connect.CfnInstanceStorageConfig(this, 'CallRecordings', {
        instanceArn: props.instanceArn,
        resourceType: 'CALL_RECORDINGS',
        storageType: 'S3',
        s3Config: {
          bucketName: props.callRecordings.bucket.bucketName,
          bucketPrefix: props.callRecordings.bucketPrefix,
          encryptionConfig: { encryptionType: 'KMS', keyId: props.callRecordings.key.keyArn },
        },
      });
    }
  }
}
