import { GenesysApiError, GenesysClient, IntegrationConfig } from '../shared/genesys/client';
import { INTENDED_STATE, Models, S3_BULK_ACTIONS_TYPE_ID, S3_PROPERTY_FIELDS } from '../shared/genesys/wire';
import { logger } from '../shared/logger';
import { ConnectionProperties, IsCompleteEvent, OnEvent } from './event';
import {
  checkKeyFacts,
  checkKeyReference,
  checkPrefixChange,
  configFromSchemas,
  ConnectionRefused,
  isActive,
  isUndeclaredPrefixChange,
  KeyFacts,
  roleCredentialKey,
} from './plan';

/** What the connection needs from outside: a Genesys client (built from the secret) and KMS's view of a key. */
export interface ConnectionDeps {
  readonly genesys: (props: ConnectionProperties) => Promise<GenesysClient>;
  readonly describeKey: (keyArn: string) => Promise<KeyFacts>;
}

/** onEvent's answer: the physical id is the integration id; nothing secret in Data. */
export interface OnEventAnswer {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

/** Create and Update converge Genesys to the properties; Delete removes the integration and its credential. */
export async function onEvent(event: OnEvent, deps: ConnectionDeps): Promise<OnEventAnswer> {
  const props = event.ResourceProperties;
  logger.info('Genesys connection event', { requestType: event.RequestType, integrationName: props.IntegrationName });
  switch (event.RequestType) {
    case 'Create':
      return converge(props, undefined, deps);
    case 'Update': {
      // A migration declared on either side counts: rolling back a migration sends the flag in the old properties.
      const oldPrefix = event.OldResourceProperties.Prefix;
      const allow =
        props.AllowPrefixMigration === 'true' || event.OldResourceProperties.AllowPrefixMigration === 'true';
      if (!isUndeclaredPrefixChange(oldPrefix, props.Prefix, allow))
        return converge(props, event.PhysicalResourceId, deps);
      // Only Genesys knows whether the change is real: a rollback of a refused update finds its prefix there already.
      const client = await deps.genesys(props);
      const live = (await client.getIntegrationConfig(event.PhysicalResourceId))?.properties[S3_PROPERTY_FIELDS.prefix];
      checkPrefixChange(oldPrefix, props.Prefix, allow, typeof live === 'string' ? live : undefined);
      logger.info('Genesys already holds the prefix; nothing to refuse', { integrationId: event.PhysicalResourceId });
      return converge(props, event.PhysicalResourceId, deps, client);
    }
    case 'Delete':
      await remove(event.PhysicalResourceId, props, await deps.genesys(props));
      return { PhysicalResourceId: event.PhysicalResourceId };
  }
}

/** Complete when Genesys reports the integration active; a Delete is complete at once. */
export async function isComplete(
  event: IsCompleteEvent,
  deps: ConnectionDeps,
): Promise<{ readonly IsComplete: boolean }> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const client = await deps.genesys(event.ResourceProperties);
  const integration = await client.getIntegration(event.PhysicalResourceId);
  if (!integration) {
    throw new ConnectionRefused(
      `Genesys integration ${event.PhysicalResourceId} disappeared while it was being enabled; check the Genesys audit log and deploy again.`,
    );
  }
  const complete = isActive(integration);
  logger.info('Genesys integration state', {
    integrationId: integration.id,
    reportedState: integration.reportedState?.code,
  });
  return { IsComplete: complete };
}

async function converge(
  props: ConnectionProperties,
  existingId: string | undefined,
  deps: ConnectionDeps,
  genesys?: GenesysClient,
): Promise<OnEventAnswer> {
  // E2 before any write: a key ARN, enabled, in this account and region, rotating.
  checkKeyReference(props.KmsKeyArn);
  checkKeyFacts(await deps.describeKey(props.KmsKeyArn), props.Account, props.BucketRegion);

  // The type's own schema decides the field names; a mismatch fails before anything is written.
  const client = genesys ?? (await deps.genesys(props));
  const credentialKey = roleCredentialKey(await client.integrationType());
  const config = configFromSchemas(await client.configSchema('properties'), await client.configSchema('advanced'), {
    bucketName: props.BucketName,
    bucketRegion: props.BucketRegion,
    kmsKeyArn: props.KmsKeyArn,
    prefix: props.Prefix,
  });

  // Found by name first, so a retried event reuses what an interrupted one created.
  const credentials = await client.listCredentials();
  const existingCredential = credentials.find((c) => c.name === props.CredentialName);
  const credential = existingCredential
    ? await client.updateRoleCredential(existingCredential.id, props.CredentialName, props.RoleArn)
    : await client.createRoleCredential(props.CredentialName, props.RoleArn);

  const integration =
    (existingId ? await client.getIntegration(existingId) : undefined) ??
    (await client.listIntegrations()).find(
      (i) => i.name === props.IntegrationName && i.integrationType?.id === S3_BULK_ACTIONS_TYPE_ID,
    ) ??
    (await client.createIntegration(props.IntegrationName));

  await writeConfig(client, integration.id, (current) => ({
    name: props.IntegrationName,
    version: current.version,
    properties: config.properties,
    advanced: config.advanced,
    notes: 'Managed by recording-archive (CloudFormation); changes made here are overwritten on the next deploy.',
    credentials: { [credentialKey]: { id: credential.id } },
  }));
  await client.setIntendedState(integration.id, INTENDED_STATE.enabled);
  logger.info('Genesys integration written', { integrationId: integration.id, credentialId: credential.id });
  return { PhysicalResourceId: integration.id, Data: { IntegrationId: integration.id, CredentialId: credential.id } };
}

/** PUT with the current version; one 409 (someone else wrote in between) is answered by re-reading. */
async function writeConfig(
  client: GenesysClient,
  id: string,
  // The body Genesys takes (SDK model IntegrationConfiguration: name and notes are required).
  build: (current: IntegrationConfig) => IntegrationConfig & Models.IntegrationConfiguration,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await client.getIntegrationConfig(id);
    if (!current) {
      throw new ConnectionRefused(
        `Genesys integration ${id} disappeared while its configuration was being written; deploy again.`,
      );
    }
    try {
      await client.putIntegrationConfig(id, build(current));
      return;
    } catch (error) {
      if (!(error instanceof GenesysApiError && error.status === 409 && attempt === 0)) throw error;
      logger.warn('Genesys config version conflict; re-reading', { integrationId: id });
    }
  }
}

/**
 * Disables and deletes the integration, then deletes its credential: the one its config references
 * and the one named CredentialName, since a retried Delete finds the integration (and so its config)
 * gone. A credential another S3 bulk actions integration still references (the replacement of an
 * integration deleted outside CloudFormation reuses the credential by name) is kept.
 */
async function remove(id: string, props: ConnectionProperties, client: GenesysClient): Promise<void> {
  const config = await client.getIntegrationConfig(id);
  await client.setIntendedState(id, INTENDED_STATE.disabled);
  const deleted = await client.deleteIntegration(id);

  const named = (await client.listCredentials()).filter((c) => c.name === props.CredentialName).map((c) => c.id);
  const candidates = new Set([...Object.values(config?.credentials ?? {}).map((c) => c.id), ...named]);
  const inUse = candidates.size ? await credentialsInUse(client) : new Set<string>();
  const credentialsDeleted: string[] = [];
  for (const credentialId of candidates) {
    if (inUse.has(credentialId)) {
      logger.info('Genesys credential kept: another integration uses it', { credentialId });
    } else if (await client.deleteCredential(credentialId)) {
      credentialsDeleted.push(credentialId);
    }
  }
  logger.info('Genesys integration removed', { integrationId: id, wasPresent: deleted, credentialsDeleted });
}

/** Credential ids the remaining S3 bulk actions integrations reference. */
async function credentialsInUse(client: GenesysClient): Promise<Set<string>> {
  const inUse = new Set<string>();
  for (const integration of await client.listIntegrations()) {
    if (integration.integrationType?.id !== S3_BULK_ACTIONS_TYPE_ID) continue;
    const config = await client.getIntegrationConfig(integration.id);
    for (const { id } of Object.values(config?.credentials ?? {})) inUse.add(id);
  }
  return inUse;
}
