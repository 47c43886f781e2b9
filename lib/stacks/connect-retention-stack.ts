import { Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ConnectSchema } from '../config';

/** Props for {@link ConnectRetentionStack}. */
export interface ConnectRetentionStackProps extends StackProps {
  /** Environment name. */
  readonly envName: string;
  /** This stack's settings. */
  readonly connect: z.output<typeof ConnectSchema>;
  /** Tag key of the retention class. */
  readonly retentionTagKey: string;
  /** Retention class name -> days. */
  readonly retentionClasses: Readonly<Record<string, number>>;
  /** Class used when a contact names none or an unknown one. */
  readonly defaultRetentionClass: string;
  /** The archive bucket (its tag-filtered rules live in the archive stack). */
  readonly bucket: s3.IBucket;
  /** Key for the stream, queue, logs. */
  readonly operationsKey: kms.IKey;
  /** Topic every alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

/** CTR stream -> tagging function -> tag-filtered lifecycle, optional per environment. */
export class ConnectRetentionStack extends Stack {
  constructor(scope: Construct, id: string, props: ConnectRetentionStackProps) {
    super(scope, id, props);
  }
}
