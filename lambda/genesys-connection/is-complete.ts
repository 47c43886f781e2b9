import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { logger } from '../shared/logger';
import { awsDeps } from './aws';
import { isComplete } from './connection';
import { parseEvent } from '../shared/parse-event';
import { IsCompleteSchema } from './event';

const deps = awsDeps(new KMSClient({}), new SecretsManagerClient({}));

/** Provider framework isComplete: waits until Genesys reports the integration active. */
export async function handler(event: unknown): Promise<{ readonly IsComplete: boolean }> {
  try {
    return await isComplete(parseEvent(IsCompleteSchema, event), deps);
  } catch (error) {
    logger.error('Genesys connection check failed', { reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
