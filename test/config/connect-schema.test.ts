import { ConnectSchema } from '../../lib/config';

test('fills the defaults of the Connect settings', () => {
  expect(ConnectSchema.parse({})).toEqual({
    shardCount: 1,
    batchSize: 100,
    parallelizationFactor: 1,
    retryAttempts: 5,
    maxRecordAgeHours: 24,
    tagConcurrency: 50,
    missingObjectAttempts: 6,
    missingObjectDelayMs: 500,
  });
});

test('refuses a key alias for the existing stream', () => {
  const result = ConnectSchema.safeParse({ existingStreamKeyArn: 'arn:aws:kms:us-east-1:222222222222:alias/connect' });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0].message).toBe('must be a full KMS key ARN, never an alias');
});

test('refuses a stream given by name instead of ARN', () => {
  const result = ConnectSchema.safeParse({ existingStreamArn: 'connect-ctr-prod' });
  expect(result.error?.issues[0].message).toBe('must be a Kinesis stream ARN');
});

test('refuses a parallelization factor above Lambda\'s 10', () => {
  expect(ConnectSchema.safeParse({ parallelizationFactor: 11 }).success).toBe(false);
});

test('refuses a Connect bucket prefix with characters that IAM reads as wildcards or S3 lifecycle reads literally', () => {
  const bucket = (prefix: string) => ConnectSchema.safeParse({ existingRecordingBucket: { bucketName: 'amazon-connect-x', prefix } });
  for (const prefix of ['connect/*/CallRecordings/', 'connect/instance?/', 'connect/a b/', 'connect/${aws:username}/']) {
    const result = bucket(prefix);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("must be path segments of letters, digits and !_.'()=- each ending with '/'");
  }
  for (const prefix of ['connect/prod-instance/CallRecordings/', "a.b_c!d'e(f)=g-h/"]) expect(bucket(prefix).success).toBe(true);
  expect(bucket('connect/CallRecordings').success).toBe(false);
});
