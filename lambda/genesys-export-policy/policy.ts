import { GenesysApiError, GenesysClient, Policy } from '../shared/genesys/client';
import { logger } from '../shared/logger';
import { ExportPolicyEvent, ExportPolicyProperties } from './event';
import { policyBody } from './plan';

/** What the policy resource needs from outside: a Genesys client built from the secret. */
export interface ExportPolicyDeps {
  readonly genesys: (props: ExportPolicyProperties) => Promise<GenesysClient>;
}

/** onEvent's answer: the physical id is the policy id. */
export interface ExportPolicyAnswer {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

/**
 * Create and Update write the one policy named PolicyName (found by its id, else by its name, so
 * a retried Create reuses what an interrupted one made); Delete removes it by id. No other policy
 * of the org is read beyond its name, changed or deleted.
 */
export async function onEvent(event: ExportPolicyEvent, deps: ExportPolicyDeps): Promise<ExportPolicyAnswer> {
  const props = event.ResourceProperties;
  logger.info('Genesys export policy event', { requestType: event.RequestType, policyName: props.PolicyName });
  if (event.RequestType === 'Delete') {
    const client = await deps.genesys(props);
    const deleted = await client.deletePolicy(event.PhysicalResourceId);
    logger.info('Genesys export policy removed', { policyId: event.PhysicalResourceId, wasPresent: deleted });
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  // Checked before any call, so a refused config writes nothing.
  const body = policyBody(props);
  const client = await deps.genesys(props);
  const existingId = event.RequestType === 'Update' ? event.PhysicalResourceId : undefined;
  const policy = await write(client, body, existingId);
  logger.info('Genesys export policy written', { policyId: policy.id, integrationId: props.IntegrationId });
  return { PhysicalResourceId: policy.id, Data: { PolicyId: policy.id } };
}

async function write(
  client: GenesysClient,
  body: ReturnType<typeof policyBody>,
  existingId: string | undefined,
): Promise<Policy> {
  const byId = existingId ? await client.updatePolicy(existingId, body) : undefined;
  if (byId) return byId;
  const byName = await findByName(client, body.name);
  if (byName) return (await client.updatePolicy(byName.id, body)) ?? client.createPolicy(body);
  try {
    return await client.createPolicy(body);
  } catch (error) {
    // A policy of that name appeared in between (a concurrent retry): take it over.
    if (!(error instanceof GenesysApiError && error.status === 409)) throw error;
    const raced = await findByName(client, body.name);
    if (!raced) throw error;
    return (await client.updatePolicy(raced.id, body)) ?? raced;
  }
}

async function findByName(client: GenesysClient, name: string): Promise<Policy | undefined> {
  return (await client.policiesNamed(name))[0];
}
