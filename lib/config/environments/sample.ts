import { EnvironmentOverrides } from '../schema';
import cidrs from './sample.genesys-cidrs.json';

/** Synthesizes offline with no credentials: placeholder account, PCI-DSS window, Connect guide classes (overrides base.ts). */
export const sample: EnvironmentOverrides = {
  account: '111111111111',
  compliance: { preset: 'pci-dss' },
  objectLock: { defaultRetentionDays: 30 },
  genesys: {
    organizationId: '00000000-0000-4000-8000-000000000000',
    platformRetentionDays: 730,
    allowedCidrs: cidrs,
  },
  retention: {
    classes: { short: 30, long: 90 },
    defaultClass: 'long',
  },
  genesysIntegration: {
    oauthSecretName: 'recording-archive/sample/genesys-oauth',
  },
  connect: {
    // Placeholders: every optional Connect feature synthesized (stream association, demo flow,
    // recordings into the archive).
    instanceArn: 'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de',
    demoFlow: {
      queueArn:
        'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de/queue/00000000-0000-4000-8000-0000000000a1',
    },
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
