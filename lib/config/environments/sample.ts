import { EnvironmentConfigInput } from '../schema';
import cidrs from './sample.genesys-cidrs.json';

/** Synthesizes offline with no credentials: placeholder account, PCI-DSS window, Connect guide classes. */
export const sample: EnvironmentConfigInput = {
  account: '111111111111',
  region: 'us-east-1',
  compliance: { preset: 'pci-dss' },
  objectLock: { mode: 'GOVERNANCE', defaultRetentionDays: 30 },
  recordingsPrefix: 'recordings/',
  genesys: {
    organizationId: '00000000-0000-4000-8000-000000000000',
    region: 'us-east-1',
    platformRetentionDays: 730,
    allowedCidrs: cidrs,
  },
  breakGlassRoleNames: ['recording-archive-break-glass'],
  retention: {
    classes: { short: 30, long: 90 },
    defaultClass: 'long',
  },
  notifications: { emails: [] },
  genesysIntegration: {
    oauthSecretName: 'recording-archive/sample/genesys-oauth',
  },
  connect: {
    existingRecordingBucket: {
      bucketName: 'amazon-connect-sample-recordings',
      prefix: 'connect/sample-instance/CallRecordings/',
    },
  },
  operations: {
    legalHoldRoleNames: ['recording-archive-legal-hold'],
    readerRole: { assumedByRoleNames: ['recording-archive-auditor'] },
  },
};
