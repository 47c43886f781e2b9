import { EnvironmentOverrides } from '../schema';

/**
 * What every environment shares; each `<env>.ts` next to this file overrides it (objects merge
 * field by field, arrays and values replace). A BPO keeps one environment per client this way.
 */
export const base: EnvironmentOverrides = {
  region: 'us-east-1',
  objectLock: { mode: 'GOVERNANCE' },
  recordingsPrefix: 'recordings/',
  genesys: { region: 'us-east-1' },
  breakGlassRoleNames: ['recording-archive-break-glass'],
  notifications: { emails: [] },
};
