import { EnvironmentOverrides } from '../schema';
import cidrs from './prod.genesys-cidrs.json';

/** A production shape: HIPAA window, per line-of-business classes, replication to a second region (overrides base.ts). */
export const prod: EnvironmentOverrides = {
  account: '222222222222',
  compliance: { preset: 'hipaa' },
  objectLock: { defaultRetentionDays: 365 },
  lifecycle: {
    standardIaDays: 30,
    glacierDays: 90,
    deepArchiveDays: 180,
    noncurrentVersionExpirationDays: 1,
    abortIncompleteMultipartUploadDays: 7,
  },
  accessLogRetentionDays: 400,
  genesys: {
    organizationId: '5c3f1a2e-8d4b-4f6a-9e21-7b0c9d8e6f51',
    platformRetentionDays: 2190,
    allowedCidrs: cidrs,
  },
  // The app owns the replica: stack RecordingArchive-prod-Replica in us-west-2.
  replication: { region: 'us-west-2' },
  retention: {
    classes: { sales: 400, support: 1095, claims: 2190 },
    defaultClass: 'claims',
  },
  costAllocation: { costCenter: 'CC-4711-contact-center' },
  notifications: { emails: ['contact-center-platform@example.com'] },
  genesysIntegration: {
    oauthSecretName: 'recording-archive/prod/genesys-oauth',
  },
  connect: {
    existingStreamArn: 'arn:aws:kinesis:us-east-1:222222222222:stream/connect-ctr-prod',
    existingRecordingBucket: {
      bucketName: 'amazon-connect-prod-recordings-222222222222',
      prefix: 'connect/prod-instance/CallRecordings/',
    },
    batchSize: 100,
    parallelizationFactor: 2,
  },
  operations: {
    legalHoldRoleNames: ['recording-archive-legal-hold'],
    readerRole: { assumedByRoleNames: ['recording-archive-auditor'] },
    athena: { resultsExpirationDays: 30 },
  },
};
