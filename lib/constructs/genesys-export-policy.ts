import * as path from 'path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { genesysBaseUrls } from '../../lambda/shared/genesys/wire';
import { ArchiveFunction } from './archive-function';
import { createHardenedProvider, PROVIDER_HANDLER_FAILURE_HANDLING } from './hardened-provider';

/** A Genesys entity named in a policy condition. */
export interface GenesysEntityRef {
  readonly id: string;
  readonly name: string;
}

/** Props for {@link GenesysExportPolicy}. */
export interface GenesysExportPolicyProps {
  /** Environment name; names the policy `recording-archive-<env>`. */
  readonly envName: string;
  /** The S3 bulk actions integration id (the connection resource's `ref`), so CloudFormation creates the connection first. */
  readonly integrationId: string;
  /** AWS region of the Genesys organization; selects the login and API hosts. */
  readonly genesysRegion: string;
  /** Name of the Secrets Manager secret holding the OAuth client; the only secret the function may read. */
  readonly oauthSecretName: string;
  /** `genesys.platformRetentionDays`: Genesys deletes its native copy after this many days (T4 holds S3 to the same window). */
  readonly platformRetentionDays: number;
  /** Let Genesys delete its native copy after `platformRetentionDays`. */
  readonly deleteNativeCopy: boolean;
  /** Export screen recordings too. */
  readonly shouldExportScreenRecordings: boolean;
  /** Media types the policy covers. */
  readonly mediaTypes: readonly ('call' | 'chat' | 'email' | 'message')[];
  /**
   * Only conversations in these queues.
   * @default - every queue
   */
  readonly queues?: readonly GenesysEntityRef[];
  /**
   * Only calls in these directions.
   * @default - both directions
   */
  readonly directions?: readonly ('INBOUND' | 'OUTBOUND')[];
  /**
   * Only conversations wrapped up with these codes.
   * @default - every wrap-up code
   */
  readonly wrapupCodes?: readonly GenesysEntityRef[];
  /** Encrypts log groups and function environments. */
  readonly operationsKey: kms.IKey;
}

/**
 * The Genesys media retention policy `recording-archive-<env>` through a custom resource: it
 * exports every matching recording to the archive's integration (`integrationExport`) and, unless
 * turned off, deletes Genesys's native copy after the platform window. Without it (or a backfill
 * job) Genesys exports nothing.
 */
export class GenesysExportPolicy extends Construct {
  /** The custom resource; its `ref` is the Genesys policy id. */
  readonly resource: CustomResource;
  readonly onEventFunction: ArchiveFunction;
  readonly provider: cr.Provider;

  constructor(scope: Construct, id: string, props: GenesysExportPolicyProps) {
    super(scope, id);
    if (!Number.isInteger(props.platformRetentionDays) || props.platformRetentionDays < 1) {
      throw new Error(
        `GenesysExportPolicy: platformRetentionDays ${props.platformRetentionDays} must be a whole number of days, 1 or more.`,
      );
    }
    const urls = genesysBaseUrls(props.genesysRegion);

    // The handler reads the one OAuth secret and calls Genesys; nothing in AWS besides its logs.
    this.onEventFunction = new ArchiveFunction(this, 'OnEvent', {
      failureHandling: PROVIDER_HANDLER_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'genesys-export-policy', 'on-event.ts'),
      description:
        'Creates, updates and deletes the Genesys media retention policy that exports recordings to the archive',
      timeout: Duration.minutes(3),
      key: props.operationsKey,
      reservedConcurrentExecutions: 2,
    });
    secretsmanager.Secret.fromSecretNameV2(this, 'OAuthSecret', props.oauthSecretName).grantRead(
      this.onEventFunction.function,
    );

    this.provider = createHardenedProvider(this, { onEvent: this.onEventFunction, key: props.operationsKey });

    const entities = (refs: readonly GenesysEntityRef[] | undefined) =>
      (refs ?? []).map((r) => ({ Id: r.id, Name: r.name }));
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::GenesysExportPolicy',
      properties: {
        PolicyName: `recording-archive-${props.envName}`,
        IntegrationId: props.integrationId,
        DeleteNativeCopy: String(props.deleteNativeCopy),
        DeleteRetentionDays: String(props.platformRetentionDays),
        ShouldExportScreenRecordings: String(props.shouldExportScreenRecordings),
        MediaTypes: [...props.mediaTypes],
        Queues: entities(props.queues),
        Directions: [...(props.directions ?? [])],
        WrapupCodes: entities(props.wrapupCodes),
        OAuthSecretName: props.oauthSecretName,
        LoginBaseUrl: urls.loginBaseUrl,
        ApiBaseUrl: urls.apiBaseUrl,
      },
    });
  }
}
