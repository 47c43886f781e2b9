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
    recordIntoArchive: false,
    lateRecordingHours: 24,
  });
});

const INSTANCE = 'arn:aws:connect:us-east-1:111111111111:instance/00000000-0000-4000-8000-00000000c0de';

test.each(['demoFlow', 'recordIntoArchive'] as const)('refuses %s without an instance ARN, naming the fix', (field) => {
  const input =
    field === 'demoFlow'
      ? { demoFlow: { queueArn: `${INSTANCE}/queue/00000000-0000-4000-8000-0000000000a1` } }
      : { recordIntoArchive: true };
  const result = ConnectSchema.safeParse(input);
  expect(result.error?.issues).toEqual([
    expect.objectContaining({
      path: [field],
      message: `needs connect.instanceArn: set the ARN of the Connect instance, or remove ${field}`,
    }),
  ]);
});

test('refuses a demo flow queue of another instance', () => {
  const result = ConnectSchema.safeParse({
    instanceArn: INSTANCE,
    demoFlow: {
      queueArn:
        'arn:aws:connect:us-east-1:111111111111:instance/11111111-0000-4000-8000-00000000c0de/queue/00000000-0000-4000-8000-0000000000a1',
    },
  });
  expect(result.error?.issues[0]).toMatchObject({
    path: ['demoFlow', 'queueArn'],
    message: 'must be a queue of connect.instanceArn',
  });
});

test('refuses an instance given by alias', () => {
  expect(ConnectSchema.safeParse({ instanceArn: 'my-instance' }).error?.issues[0].message).toBe(
    'must be a Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/ID)',
  );
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

test("refuses a parallelization factor above Lambda's 10", () => {
  expect(ConnectSchema.safeParse({ parallelizationFactor: 11 }).success).toBe(false);
});

test('refuses a Connect bucket prefix with characters that IAM reads as wildcards or S3 lifecycle reads literally', () => {
  const bucket = (prefix: string) =>
    ConnectSchema.safeParse({ existingRecordingBucket: { bucketName: 'amazon-connect-x', prefix } });
  for (const prefix of [
    'connect/*/CallRecordings/',
    'connect/instance?/',
    'connect/a b/',
    'connect/${aws:username}/',
  ]) {
    const result = bucket(prefix);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe(
      "must be path segments of letters, digits and !_.'()=- each ending with '/'",
    );
  }
  for (const prefix of ['connect/prod-instance/CallRecordings/', "a.b_c!d'e(f)=g-h/"])
    expect(bucket(prefix).success).toBe(true);
  expect(bucket('connect/CallRecordings').success).toBe(false);
});
