import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GenesysClient } from '../shared/genesys/client';
import { readOAuthSecret } from '../shared/genesys/oauth-secret';
import { ConnectionDeps } from './connection';
import { ConnectionProperties } from './event';
import { ConnectionRefused, KeyFacts } from './plan';

/** DescribeKey and GetKeyRotationStatus, reduced to the facts E2 checks. */
export async function describeKey(kms: KMSClient, keyArn: string): Promise<KeyFacts> {
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
  const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
  return {
    arn: KeyMetadata?.Arn ?? keyArn,
    keyState: KeyMetadata?.KeyState ?? 'Unknown',
    rotationEnabled: rotation.KeyRotationEnabled === true,
  };
}

/** The connection's dependencies over real AWS clients. */
export function awsDeps(kms: KMSClient, secrets: SecretsManagerClient): ConnectionDeps {
  return {
    describeKey: (keyArn) => describeKey(kms, keyArn),
    genesys: async (props: ConnectionProperties) =>
      new GenesysClient({
        loginBaseUrl: props.LoginBaseUrl,
        apiBaseUrl: props.ApiBaseUrl,
        credentials: await readOAuthSecret(secrets, props.OAuthSecretName, (message) => new ConnectionRefused(message)),
        credentialsSource: `secret '${props.OAuthSecretName}'`,
        // One invocation's calls end together well inside the handlers' 3-minute timeout.
        retry: { totalBudgetMs: 150_000 },
      }),
  };
}
