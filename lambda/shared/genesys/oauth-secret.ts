import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from '../zod';
import { GenesysCredentials } from './client';

const OAuthSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
});

/**
 * Reads the Genesys OAuth client from Secrets Manager; a failure names the secret, never its
 * value, and is built by `refuse` so each caller fails in its own terms.
 */
export async function readOAuthSecret(
  secrets: SecretsManagerClient,
  secretName: string,
  refuse: (message: string) => Error = (message) => new Error(message),
): Promise<GenesysCredentials> {
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    throw refuse(
      `The Genesys OAuth secret '${secretName}' could not be read (${name}); create it in this account and region as JSON {"clientId": "...", "clientSecret": "..."}.`,
    );
  }
  let parsed: z.util.SafeParseResult<GenesysCredentials> | undefined;
  try {
    parsed = OAuthSecretSchema.safeParse(JSON.parse(value ?? ''));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw refuse(
      `The Genesys OAuth secret '${secretName}' is not JSON of the form {"clientId": "...", "clientSecret": "..."}; fix its value in Secrets Manager.`,
    );
  }
  return parsed.data;
}
