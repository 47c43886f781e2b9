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
    // Placeholders: every optional Connect feature synthesized (stream association, demo flow,
    // recordings into the archive).
    instanceArn: 'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de',
    demoFlow: { queueArn: 'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de/queue/00000000-0000-4000-8000-0000000000a1' },
    recordIntoArchive: true,
    lateRecordingHours: 24,
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
