import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { logger } from '../shared/logger';
import { awsDeps } from './aws';
import { onEvent, OnEventAnswer } from './connection';
import { parseEvent } from '../shared/parse-event';
import { OnEventSchema } from './event';

const deps = awsDeps(new KMSClient({}), new SecretsManagerClient({}));

/** Provider framework onEvent: registers, updates or removes the Genesys connection. */
export async function handler(event: unknown): Promise<OnEventAnswer> {
  try {
    return await onEvent(parseEvent(OnEventSchema, event), deps);
  } catch (error) {
    logger.error('Genesys connection failed', { reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
