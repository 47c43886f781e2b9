import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ArchiveConfig } from '../../lib/config';
import { GenesysClient, GenesysCredentials } from '../../lambda/shared/genesys/client';
import { readOAuthSecret } from '../../lambda/shared/genesys/oauth-secret';
import { genesysBaseUrls } from '../../lambda/shared/genesys/wire';
import { CliError } from './cli';

/** Environment variables that carry the Genesys OAuth client for scripts (both or neither). */
export const GENESYS_CLIENT_ENV = { id: 'GENESYS_CLIENT_ID', secret: 'GENESYS_CLIENT_SECRET' } as const;

/**
 * The Genesys OAuth client for a script: GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET when both
 * are set, else the environment's Secrets Manager secret (`genesysIntegration.oauthSecretName`).
 * Failures are one {@link CliError} sentence naming the fix, never a credential.
 */
export async function genesysOAuthCredentials(
  config: ArchiveConfig,
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly secrets?: () => SecretsManagerClient;
  } = {},
): Promise<{ readonly credentials: GenesysCredentials; readonly source: string }> {
  const env = options.env ?? process.env;
  const clientId = env[GENESYS_CLIENT_ENV.id];
  const clientSecret = env[GENESYS_CLIENT_ENV.secret];
  if (clientId && clientSecret)
    return { credentials: { clientId, clientSecret }, source: `${GENESYS_CLIENT_ENV.id}/${GENESYS_CLIENT_ENV.secret}` };
  if (clientId || clientSecret) {
    throw new CliError(
      `Only one of ${GENESYS_CLIENT_ENV.id} and ${GENESYS_CLIENT_ENV.secret} is set; set both, or neither to use the environment's Secrets Manager secret.`,
    );
  }
  const secretName = config.genesysIntegration?.oauthSecretName;
  if (!secretName) {
    throw new CliError(
      `No Genesys OAuth client for environment "${config.envName}"; set ${GENESYS_CLIENT_ENV.id} and ${GENESYS_CLIENT_ENV.secret}, or genesysIntegration.oauthSecretName in lib/config/environments/${config.envName}.ts.`,
    );
  }
  const secrets = options.secrets?.() ?? new SecretsManagerClient({ region: config.region });
  const credentials = await readOAuthSecret(secrets, secretName, (message) => new CliError(message));
  return { credentials, source: `secret '${secretName}'` };
}

/** A Genesys client for the environment's region, or for `baseUrl` (login and API on one host, as in tests). */
export async function genesysClientFor(
  config: ArchiveConfig,
  options: {
    readonly baseUrl?: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly secrets?: () => SecretsManagerClient;
  } = {},
): Promise<GenesysClient> {
  const { credentials, source } = await genesysOAuthCredentials(config, options);
  const urls = options.baseUrl
    ? { loginBaseUrl: options.baseUrl, apiBaseUrl: options.baseUrl }
    : genesysBaseUrls(config.genesys.region);
  return new GenesysClient({ ...urls, credentials, credentialsSource: source });
}
