import * as path from 'path';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { genesysBaseUrls } from '../../lambda/shared/genesys/wire';
import { ArchiveFunction } from './archive-function';
import { createHardenedProvider, PROVIDER_HANDLER_FAILURE_HANDLING } from './hardened-provider';

/** Props for {@link GenesysConnection}. */
export interface GenesysConnectionProps {
  /** Environment name; names the integration and its credential in Genesys. */
  readonly envName: string;
  /** The bucket Genesys exports into. */
  readonly bucket: s3.IBucket;
  /** The archive key, checked (E2) and written into the integration by ARN. */
  readonly key: kms.IKey;
  /** The role Genesys assumes; its ARN becomes the integration's credential. */
  readonly genesysRole: iam.IRole;
  /** Recordings prefix, ending with `/`; a change is refused on update unless `allowPrefixMigration` (E3). */
  readonly prefix: string;
  /** AWS region of the Genesys organization; selects the login and API hosts. */
  readonly genesysRegion: string;
  /** Name of the Secrets Manager secret holding `{ "clientId", "clientSecret" }`; only this secret is readable. */
  readonly oauthSecretName: string;
  /** Allow a prefix change for a planned migration (E3). */
  readonly allowPrefixMigration: boolean;
  /** Encrypts log groups and function environments. */
  readonly operationsKey: kms.IKey;
  /**
   * How long the deploy waits for Genesys to report the integration active.
   * @default Duration.minutes(15)
   */
  readonly totalTimeout?: Duration;
}

/**
 * Registers the archive bucket with Genesys Cloud as an AWS S3 recording bulk actions
 * integration through a custom resource (onEvent + isComplete). The OAuth client comes from a
 * Secrets Manager secret at run time: templates, logs and responses carry only its name.
 */
export class GenesysConnection extends Construct {
  /** The custom resource; its `ref` is the Genesys integration id. */
  readonly resource: CustomResource;
  /** The handler functions (for tests and alarms). */
  readonly onEventFunction: ArchiveFunction;
  readonly isCompleteFunction: ArchiveFunction;
  readonly provider: cr.Provider;

  constructor(scope: Construct, id: string, props: GenesysConnectionProps) {
    super(scope, id);
    // Fails at synth for a region Genesys does not serve.
    const urls = genesysBaseUrls(props.genesysRegion);
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'OAuthSecret', props.oauthSecretName);

    // Handlers: read the one secret; onEvent also reads the archive key's state (E2).
    this.onEventFunction = new ArchiveFunction(this, 'OnEvent', {
      failureHandling: PROVIDER_HANDLER_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'genesys-connection', 'on-event.ts'),
      description: 'Creates, updates and deletes the Genesys S3 recording bulk actions integration',
      timeout: Duration.minutes(3),
      key: props.operationsKey,
      reservedConcurrentExecutions: 2,
    });
    this.isCompleteFunction = new ArchiveFunction(this, 'IsComplete', {
      failureHandling: PROVIDER_HANDLER_FAILURE_HANDLING,
      entry: path.join(__dirname, '..', '..', 'lambda', 'genesys-connection', 'is-complete.ts'),
      description: 'Waits until Genesys reports the S3 recording bulk actions integration active',
      timeout: Duration.minutes(3),
      key: props.operationsKey,
      reservedConcurrentExecutions: 2,
    });
    for (const fn of [this.onEventFunction, this.isCompleteFunction]) {
      secret.grantRead(fn.function);
    }
    this.onEventFunction.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CheckArchiveKey',
        actions: ['kms:DescribeKey', 'kms:GetKeyRotationStatus'],
        resources: [props.key.keyArn],
      }),
    );

    this.provider = createHardenedProvider(this, {
      onEvent: this.onEventFunction,
      isComplete: this.isCompleteFunction,
      key: props.operationsKey,
      totalTimeout: props.totalTimeout,
    });

    const { account } = Stack.of(this);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::GenesysConnection',
      properties: {
        IntegrationName: `recording-archive-${props.envName}`,
        CredentialName: `recording-archive-${props.envName}-role`,
        RoleArn: props.genesysRole.roleArn,
        BucketName: props.bucket.bucketName,
        BucketRegion: props.bucket.env.region,
        KmsKeyArn: props.key.keyArn,
        Prefix: props.prefix,
        Account: account,
        OAuthSecretName: props.oauthSecretName,
        LoginBaseUrl: urls.loginBaseUrl,
        ApiBaseUrl: urls.apiBaseUrl,
        AllowPrefixMigration: String(props.allowPrefixMigration),
      },
    });
  }
}
