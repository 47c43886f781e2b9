import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { GenesysClient } from '../shared/genesys/client';
import { cidrDrift, cidrsOf, CidrDrift } from '../shared/genesys/ip-ranges';
import { logger } from '../shared/logger';
import { parseEvent } from '../shared/parse-event';
import { DRIFT_METRIC, DriftCheckEvent, DriftCheckEventSchema } from './event';

/** Compares the live feed with the deployed list and publishes the number of differing CIDRs. */
export async function checkDrift(event: DriftCheckEvent, client: GenesysClient, metrics: Metrics): Promise<CidrDrift> {
  const live = cidrsOf(await client.ipRanges(), event.services);
  const drift = cidrDrift(event.deployedCidrs, live);
  metrics.addDimension('Environment', event.envName);
  metrics.addMetric(DRIFT_METRIC.name, MetricUnit.Count, drift.added.length + drift.removed.length);
  metrics.publishStoredMetrics();
  if (drift.added.length || drift.removed.length) {
    logger.warn('Genesys CIDR list drifted from the deployed list', { ...drift });
  } else {
    logger.info('Genesys CIDR list matches the deployed list', { cidrs: live.length });
  }
  return drift;
}

const metrics = new Metrics({ namespace: DRIFT_METRIC.namespace, serviceName: DRIFT_METRIC.service });

/** Scheduled entry point: the deployed list arrives as the rule's input. */
export async function handler(event: unknown): Promise<CidrDrift> {
  const input = parseEvent(DriftCheckEventSchema, event);
  // ipranges needs no authentication, so the client gets no credentials.
  const client = new GenesysClient({ loginBaseUrl: input.apiBaseUrl, apiBaseUrl: input.apiBaseUrl });
  return checkDrift(input, client, metrics);
}
