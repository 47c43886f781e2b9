import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { GenesysClient, GenesysCredentials } from '../shared/genesys/client';
import { ConnectionDeps } from './connection';
import { ConnectionProperties } from './event';
import { ConnectionRefused, KeyFacts } from './plan';

const OAuthSecretSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

/** Reads the OAuth client from Secrets Manager; a failure names the secret, never its value. */
export async function readOAuthSecret(secrets: SecretsManagerClient, secretName: string): Promise<GenesysCredentials> {
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    throw new ConnectionRefused(
      `The Genesys OAuth secret '${secretName}' could not be read (${name}); create it in this account and region as JSON {"clientId": "...", "clientSecret": "..."}.`,
    );
  }
  let parsed: z.ZodSafeParseResult<GenesysCredentials> | undefined;
  try {
    parsed = OAuthSecretSchema.safeParse(JSON.parse(value ?? ''));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw new ConnectionRefused(
      `The Genesys OAuth secret '${secretName}' is not JSON of the form {"clientId": "...", "clientSecret": "..."}; fix its value in Secrets Manager.`,
    );
  }
  return parsed.data;
}

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
        credentials: await readOAuthSecret(secrets, props.OAuthSecretName),
        credentialsSource: `secret '${props.OAuthSecretName}'`,
        // One invocation's calls end together well inside the handlers' 3-minute timeout.
        retry: { totalBudgetMs: 150_000 },
      }),
  };
}
