import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createOnEvent } from '../../../lambda/connect-lifecycle/handler';
import { logger } from '../../../lambda/shared/logger';
import { connectLifecycleRules, connectRuleIdPrefix } from '../../../lib/constructs/connect-bucket-lifecycle';

const BUCKET = 'amazon-connect-prod-recordings';
const PREFIX = connectRuleIdPrefix('prod');
const s3 = mockClient(S3Client);

/** The bucket's lifecycle configuration as S3 would hold it (undefined: none). */
let stored: { Rules: LifecycleRule[]; TransitionDefaultMinimumObjectSize?: string } | undefined;

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
}

/** What S3 holds now (a function, so TypeScript does not narrow it across the awaited handler calls). */
const current = () => stored;

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  s3.reset();
  s3.on(GetBucketLifecycleConfigurationCommand).callsFake(() => {
    if (!stored) throw s3Error('NoSuchLifecycleConfiguration', 404);
    return structuredClone(stored);
  });
  s3.on(PutBucketLifecycleConfigurationCommand).callsFake((input) => {
    stored = {
      Rules: structuredClone(input.LifecycleConfiguration.Rules),
      TransitionDefaultMinimumObjectSize: input.TransitionDefaultMinimumObjectSize,
    };
    return {};
  });
  s3.on(DeleteBucketLifecycleCommand).callsFake(() => {
    stored = undefined;
    return {};
  });
});

const ownerRules: LifecycleRule[] = [
  {
    ID: 'owner-glacier',
    Status: 'Enabled',
    Filter: { Prefix: 'connect/' },
    Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
  },
  {
    ID: 'owner-abort-uploads',
    Status: 'Enabled',
    Filter: {},
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  },
  // Another environment's stack on the same bucket: not ours to touch.
  {
    ID: 'recording-archive-staging-retention-class-short',
    Status: 'Enabled',
    Filter: { Tag: { Key: 'retention', Value: 'short' } },
    Expiration: { Days: 30 },
  },
];

function rules(classes: Record<string, number>) {
  return connectLifecycleRules({
    envName: 'prod',
    prefix: 'connect/prod/CallRecordings/',
    retentionTagKey: 'retention',
    retentionClasses: classes,
    noncurrentVersionExpirationDays: 1,
  });
}

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  classes: Record<string, number>,
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider',
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/connect/1',
    RequestId: 'r1',
    LogicalResourceId: 'Rules',
    ResourceType: 'Custom::ConnectBucketLifecycle',
    ResourceProperties: {
      ServiceToken: 'x',
      BucketName: BUCKET,
      RuleIdPrefix: PREFIX,
      Rules: JSON.stringify(rules(classes)),
    },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  const PhysicalResourceId = `${PREFIX}${BUCKET}`;
  if (requestType === 'Update')
    return { ...common, RequestType: 'Update', PhysicalResourceId, OldResourceProperties: common.ResourceProperties };
  return { ...common, RequestType: 'Delete', PhysicalResourceId };
}

test('foreign rules survive create, update and delete, and the owner setting is kept (L4)', async () => {
  stored = { Rules: structuredClone(ownerRules), TransitionDefaultMinimumObjectSize: 'varies_by_storage_class' };
  const onEvent = createOnEvent(new S3Client({ region: 'us-east-1' }));

  const created = await onEvent(event('Create', { short: 30, long: 90 }));
  expect(created).toEqual({ PhysicalResourceId: `${PREFIX}${BUCKET}`, Data: { RuleCount: '3' } });
  expect(current()?.Rules.map((r) => r.ID)).toEqual([
    'owner-glacier',
    'owner-abort-uploads',
    'recording-archive-staging-retention-class-short',
    'recording-archive-prod-retention-class-short',
    'recording-archive-prod-retention-class-long',
    'recording-archive-prod-untagged-fallback',
  ]);
  expect(current()?.Rules.slice(0, 3)).toEqual(ownerRules);
  expect(current()?.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
  expect(current()?.Rules[3]).toEqual({
    ID: 'recording-archive-prod-retention-class-short',
    Status: 'Enabled',
    Filter: { And: { Prefix: 'connect/prod/CallRecordings/', Tags: [{ Key: 'retention', Value: 'short' }] } },
    Expiration: { Days: 30 },
    NoncurrentVersionExpiration: { NoncurrentDays: 1 },
  });

  await onEvent(event('Update', { short: 60 }));
  expect(current()?.Rules.map((r) => r.ID)).toEqual([
    'owner-glacier',
    'owner-abort-uploads',
    'recording-archive-staging-retention-class-short',
    'recording-archive-prod-retention-class-short',
    'recording-archive-prod-untagged-fallback',
  ]);
  expect(current()?.Rules[3].Expiration).toEqual({ Days: 60 });
  // The fallback follows the longest class.
  expect(current()?.Rules[4].Expiration).toEqual({ Days: 60 });

  await onEvent(event('Delete', { short: 60 }));
  expect(current()?.Rules).toEqual(ownerRules);
  expect(current()?.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
});

test('a bucket without a lifecycle configuration gets ours, and loses the configuration when ours are removed', async () => {
  stored = undefined;
  const onEvent = createOnEvent(new S3Client({ region: 'us-east-1' }));
  await onEvent(event('Create', { short: 30 }));
  expect(current()?.Rules.map((r) => r.ID)).toEqual([
    'recording-archive-prod-retention-class-short',
    'recording-archive-prod-untagged-fallback',
  ]);
  await onEvent(event('Delete', { short: 30 }));
  expect(current()).toBeUndefined();
  expect(s3.commandCalls(DeleteBucketLifecycleCommand)).toHaveLength(1);
});

test('delete writes nothing when none of our rules is there', async () => {
  stored = { Rules: structuredClone(ownerRules) };
  await createOnEvent(new S3Client({ region: 'us-east-1' }))(event('Delete', { short: 30 }));
  expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand)).toHaveLength(0);
  expect(s3.commandCalls(DeleteBucketLifecycleCommand)).toHaveLength(0);
});

test('delete succeeds when the owner has deleted the bucket', async () => {
  s3.on(GetBucketLifecycleConfigurationCommand).rejects(s3Error('NoSuchBucket', 404));
  await expect(createOnEvent(new S3Client({ region: 'us-east-1' }))(event('Delete', { short: 30 }))).resolves.toEqual({
    PhysicalResourceId: `${PREFIX}${BUCKET}`,
  });
});

test('create fails on any other read error instead of overwriting the configuration', async () => {
  s3.on(GetBucketLifecycleConfigurationCommand).rejects(s3Error('AccessDenied', 403));
  await expect(createOnEvent(new S3Client({ region: 'us-east-1' }))(event('Create', { short: 30 }))).rejects.toThrow(
    'AccessDenied',
  );
  expect(s3.commandCalls(PutBucketLifecycleConfigurationCommand)).toHaveLength(0);
});
