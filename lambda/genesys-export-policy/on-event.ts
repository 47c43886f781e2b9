import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GenesysClient } from '../shared/genesys/client';
import { readOAuthSecret } from '../shared/genesys/oauth-secret';
import { logger } from '../shared/logger';
import { parseEvent } from '../shared/parse-event';
import { ExportPolicyEventSchema } from './event';
import { ExportPolicyAnswer, ExportPolicyDeps, onEvent } from './policy';
import { ExportPolicyRefused } from './plan';

const secrets = new SecretsManagerClient({});
const deps: ExportPolicyDeps = {
  genesys: async (props) =>
    new GenesysClient({
      loginBaseUrl: props.LoginBaseUrl,
      apiBaseUrl: props.ApiBaseUrl,
      credentials: await readOAuthSecret(secrets, props.OAuthSecretName, (message) => new ExportPolicyRefused(message)),
      credentialsSource: `secret '${props.OAuthSecretName}'`,
      // One invocation's calls end together well inside the handler's 3-minute timeout.
      retry: { totalBudgetMs: 150_000 },
    }),
};

/** Provider framework onEvent: creates, updates or deletes the Genesys export policy. */
export async function handler(event: unknown): Promise<ExportPolicyAnswer> {
  try {
    return await onEvent(parseEvent(ExportPolicyEventSchema, event), deps);
  } catch (error) {
    logger.error('Genesys export policy failed', { reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
