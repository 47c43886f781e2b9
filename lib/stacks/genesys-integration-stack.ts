import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ArchiveConfig, GenesysIntegrationSchema } from '../config';
import { ArchiveWriteAlarms } from '../constructs/archive-write-alarms';
import { CONNECT_ARCHIVE_BUCKET_PREFIX } from '../config/connect-schema';
import { measuredCopies } from '../retention/copies';
import { GenesysConnection } from '../constructs/genesys-connection';
import { GenesysExportPolicy } from '../constructs/genesys-export-policy';
import { GenesysIpRangesDriftCheck } from '../constructs/genesys-ip-ranges-drift-check';
import { PointerIntegrityCheck } from '../constructs/pointer-integrity-check';
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
 * Registers the Genesys connection and checks it: the connection custom resource, the export
 * policy that makes Genesys export, the CIDR drift check, the silence and denied-writes alarms
 * and the weekly pointer-integrity check. Safe to redeploy: it holds no data.
 */
export class GenesysIntegrationStack extends Stack {
  /** The custom resource that registers the archive bucket with Genesys. */
  readonly connection: GenesysConnection;
  /** The media retention policy that makes Genesys export recordings to the connection. */
  readonly exportPolicy: GenesysExportPolicy;
  /** The scheduled comparison of Genesys's ipranges feed with the deployed CIDR list. */
  readonly ipRangesDriftCheck: GenesysIpRangesDriftCheck;
  /** The weekly reconciliation of the archive's recordings, sidecars, encryption, tags and expirations. */
  readonly pointerIntegrityCheck: PointerIntegrityCheck;
  /** The "archive is silent" and denied-writes alarms on the recordings prefix. */
  readonly writeAlarms: ArchiveWriteAlarms;

  constructor(scope: Construct, id: string, props: GenesysIntegrationStackProps) {
    super(scope, id, props);
    const { config, integration } = props;

    this.connection = new GenesysConnection(this, 'Connection', {
      envName: props.envName,
      bucket: props.bucket,
      key: props.key,
      genesysRole: props.genesysRole,
      prefix: config.recordingsPrefix,
      genesysRegion: config.genesys.region,
      oauthSecretName: integration.oauthSecretName,
      allowPrefixMigration: integration.allowPrefixMigration,
      operationsKey: props.operationsKey,
    });

    const policy = integration.exportPolicy;
    this.exportPolicy = new GenesysExportPolicy(this, 'ExportPolicy', {
      envName: props.envName,
      integrationId: this.connection.resource.ref,
      genesysRegion: config.genesys.region,
      oauthSecretName: integration.oauthSecretName,
      platformRetentionDays: config.genesys.platformRetentionDays,
      deleteNativeCopy: policy.deleteNativeCopy,
      shouldExportScreenRecordings: policy.shouldExportScreenRecordings,
      mediaTypes: policy.mediaTypes,
      queues: policy.conditions.queues,
      directions: policy.conditions.directions,
      wrapupCodes: policy.conditions.wrapupCodes,
      operationsKey: props.operationsKey,
    });

    this.ipRangesDriftCheck = new GenesysIpRangesDriftCheck(this, 'IpRangesDriftCheck', {
      envName: props.envName,
      genesysRegion: config.genesys.region,
      services: config.genesys.allowedCidrs.services,
      deployedCidrs: config.genesys.allowedCidrs.cidrs,
      schedule: integration.ipRangesDriftSchedule,
      operationsKey: props.operationsKey,
      alarmTopic: props.alarmTopic,
    });

    this.writeAlarms = new ArchiveWriteAlarms(this, 'ArchiveWriteAlarms', {
      bucket: props.bucket,
      silenceHours: integration.silenceAlarmHours,
      alarmTopic: props.alarmTopic,
    });

    this.pointerIntegrityCheck = new PointerIntegrityCheck(this, 'PointerIntegrityCheck', {
      envName: props.envName,
      bucket: props.bucket,
      key: props.key,
      operationsKey: props.operationsKey,
      alarmTopic: props.alarmTopic,
      schedule: integration.integrityCheck.schedule,
      lookbackDays: integration.integrityCheck.genesysLookbackDays,
      recordingsPrefix: config.recordingsPrefix,
      keyLayout: config.recordingKeyLayout,
      organizationId: config.genesys.organizationId,
      platformRetentionDays: config.genesys.platformRetentionDays,
      horizonDays: config.compliance.retentionDays,
      retentionTagKey: config.retention.tagKey,
      retentionClasses: Object.keys(config.retention.classes),
      // Recordings Connect writes into the archive are checked there; else those of its own bucket.
      connectRecordings: config.connect?.recordIntoArchive
        ? { bucketName: props.bucket.bucketName, prefix: `${CONNECT_ARCHIVE_BUCKET_PREFIX}/`, bucket: props.bucket }
        : config.connect?.existingRecordingBucket,
      genesys: { region: config.genesys.region, oauthSecretName: integration.oauthSecretName },
      measuredCopies: measuredCopies(config),
      exportGraceHours: integration.exportGraceHours,
      exportCoverage: {
        mediaTypes: integration.exportPolicy.mediaTypes,
        queueIds: integration.exportPolicy.conditions.queues.map((q) => q.id),
        directions: integration.exportPolicy.conditions.directions,
        wrapupCodeIds: integration.exportPolicy.conditions.wrapupCodes.map((w) => w.id),
      },
    });
  }
}
