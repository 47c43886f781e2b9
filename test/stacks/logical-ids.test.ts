import { Template } from 'aws-cdk-lib/assertions';
import { buildEnvironment, ENVIRONMENT_NAMES } from '../support/app';

/**
 * Logical IDs of the stateful resources. A changed ID makes CloudFormation create a new key or
 * bucket and orphan the old one (they are retained): never change these construct IDs.
 */
const PINNED = {
  'AWS::KMS::Key': ['ArchiveKey5FADDB58', 'OperationsKeyC8E359A5'],
  'AWS::S3::Bucket': ['RecordingBucketAccessLogs7A574211', 'RecordingBucketRecordings626F58B9'],
  'AWS::Glue::Database': ['OperationsSearchDatabase73772394'],
  'AWS::Glue::Table': ['OperationsSearchInventoryTableBE8A5C28', 'OperationsSearchSidecarTableB70BC7FB'],
  'AWS::Athena::WorkGroup': ['OperationsSearchWorkGroupC91F7C08'],
};

/** The app-owned replica stack's key and buckets. */
const PINNED_REPLICA = {
  'AWS::KMS::Key': ['ReplicaKey2E487A43'],
  'AWS::S3::Bucket': ['ReplicaBucketAccessLogs2CFDA61B', 'ReplicaBucketRecordings5657B575'],
};

describe.each(ENVIRONMENT_NAMES)('stateful logical IDs in environment %s', (envName) => {
  test('the keys and buckets keep their logical IDs', () => {
    const template = Template.fromStack(buildEnvironment(envName).stacks.archive);
    for (const [type, ids] of Object.entries(PINNED)) {
      expect(Object.keys(template.findResources(type)).sort()).toEqual(ids);
    }
    // The queue that parks Genesys exports the lock function could not lock.
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toContain('GenesysExportLockParked9A4CBF25');
  });

  test('the replica stack (when the app owns the replica) keeps its logical IDs', () => {
    const { replica } = buildEnvironment(envName).stacks;
    if (!replica) return;
    const template = Template.fromStack(replica);
    for (const [type, ids] of Object.entries(PINNED_REPLICA)) {
      expect(Object.keys(template.findResources(type)).sort()).toEqual(ids);
    }
  });
});

/** The Connect stack's queues hold CTRs and shard ranges that exist nowhere else: never renamed. */
const PINNED_CONNECT_QUEUES = [
  'CtrTaggingDeadLetterQueue4EB00717',
  'CtrTaggingParkedCtrQueue4699A382',
  'CtrTaggingRetryQueue58DC55CD',
];

describe.each(ENVIRONMENT_NAMES)('Connect queue logical IDs in environment %s', (envName) => {
  test('the retry, parked-CTR and shard-failure queues keep their logical IDs', () => {
    const connect = buildEnvironment(envName).stacks.connect;
    if (!connect) return;
    expect(Object.keys(Template.fromStack(connect).findResources('AWS::SQS::Queue')).sort()).toEqual(
      PINNED_CONNECT_QUEUES,
    );
  });
});

/** The re-tag function's log group is retained (it records every bulk re-tag task): never renamed. */
describe.each(ENVIRONMENT_NAMES)('Connect re-tag log group logical ID in environment %s', (envName) => {
  test('the re-tag function keeps its log group', () => {
    const connect = buildEnvironment(envName).stacks.connect;
    if (!connect?.retag) return;
    const logs = Template.fromStack(connect).findResources('AWS::Logs::LogGroup');
    expect(logs).toHaveProperty('RetagRetaggerLogs7D394DD5');
    expect(logs.RetagRetaggerLogs7D394DD5).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
