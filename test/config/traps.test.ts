import { ConfigError, ENVIRONMENTS, EnvironmentConfigInput, resolveConfig } from '../../lib/config';

/** The sample environment as loaded (the shared base merged with sample.ts). */
const sample = ENVIRONMENTS['sample'];

/** The sample environment with one change, as a fresh object. */
function sampleWith(change: (c: EnvironmentConfigInput) => void): EnvironmentConfigInput {
  const copy = structuredClone<EnvironmentConfigInput>(sample);
  change(copy);
  return copy;
}

function refusal(change: (c: EnvironmentConfigInput) => void): string {
  try {
    resolveConfig('sample', sampleWith(change));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('traps refused at synth time', () => {
  test('the unchanged sample is accepted (the refusals below come from the change alone)', () => {
    expect(() =>
      resolveConfig(
        'sample',
        sampleWith(() => undefined),
      ),
    ).not.toThrow();
  });

  test.each([0, null, false])('T1: noncurrent-version expiration cannot be turned off (%p)', (value) => {
    expect(
      refusal((c) => {
        c.lifecycle = { noncurrentVersionExpirationDays: value };
      }),
    ).toBe(
      `Environment "sample", field "lifecycle.noncurrentVersionExpirationDays": noncurrent-version expiration cannot be turned off on a versioned bucket (got ${JSON.stringify(value)}), or deleted recordings would be kept and billed forever (T1); set it to a whole number of days, 1 or more.`,
    );
  });

  test('T2: PRIMARY storage mode is refused with the reason', () => {
    expect(refusal((c) => (c.genesys.storageMode = 'PRIMARY'))).toBe(
      `Environment "sample", field "genesys.storageMode": 'PRIMARY' is refused because only DUAL keeps Genesys's native copy while the archive receives its own, and a mode that deletes the native copy loses the recording if an export fails (T2); set storageMode to 'DUAL' or remove it.`,
    );
  });

  test('T3: a key layout without date partitions is refused', () => {
    expect(refusal((c) => (c.recordingKeyLayout = '{orgId}/{conversationId}/'))).toBe(
      `Environment "sample", field "recordingKeyLayout": '{orgId}/{conversationId}/' lacks {yyyy}, so keys would not be date-partitioned per conversation (T3), which breaks partition-wise integrity checks and S3's per-prefix request rates; use the Genesys export layout '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/'.`,
    );
  });

  test('T3: a static key path (no conversation id) is refused', () => {
    expect(refusal((c) => (c.recordingKeyLayout = 'year={yyyy}/month={mm}/day={dd}/recording.wav'))).toContain(
      `lacks {conversationId}, so keys would not be date-partitioned per conversation (T3)`,
    );
  });

  test('T4: an S3 window shorter than the Genesys window is refused', () => {
    expect(refusal((c) => (c.genesys.platformRetentionDays = 800))).toBe(
      `Environment "sample", field "compliance.retentionDays": the S3 window of 730 days undercuts the Genesys retention window of 800 days (T4); set compliance.retentionDays to at least 800 (the S3 window must equal, never undercut, the platform window).`,
    );
  });

  test('E1: an archive region different from the Genesys region is refused', () => {
    expect(refusal((c) => (c.genesys.region = 'eu-west-1'))).toBe(
      `Environment "sample", field "region": the archive region us-east-1 differs from the Genesys region eu-west-1, so every export would leave the Genesys region (E1); deploy this environment in eu-west-1, and set replication to a bucket in us-east-1 if the recordings must also be kept there.`,
    );
  });

  test('E1: replication does not lift the refusal (it copies, it does not move the bucket Genesys writes to)', () => {
    expect(
      refusal((c) => {
        c.genesys.region = 'eu-west-1';
        c.replication = { region: 'us-west-2' };
      }),
    ).toContain('differs from the Genesys region eu-west-1, so every export would leave the Genesys region (E1)');
  });

  test('a replica in the archive region itself is refused', () => {
    expect(refusal((c) => (c.replication = { region: 'us-east-1' }))).toBe(
      `Environment "sample", field "replication.region": the replica is in the archive's own region us-east-1, which adds no regional copy; give a bucket in another region.`,
    );
  });

  test('a replica in another region is accepted', () => {
    const config = resolveConfig(
      'sample',
      sampleWith(
        (c) =>
          (c.replication = {
            region: 'us-west-2',
            existingBucketArn: 'arn:aws:s3:::replica-bucket',
            existingKmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
          }),
      ),
    );
    expect(config.replication?.region).toBe('us-west-2');
    expect(
      resolveConfig(
        'sample',
        sampleWith((c) => (c.replication = { region: 'us-west-2' })),
      ).replication,
    ).toEqual({ region: 'us-west-2' });
  });

  test('a wildcard in the recordings prefix is refused (IAM would read it as a wildcard, S3 lifecycle as a letter)', () => {
    expect(refusal((c) => (c.recordingsPrefix = 'rec*/'))).toBe(
      `Environment "sample", field "recordingsPrefix": 'rec*/' must be path segments of letters, digits and !_.'()=- ending with '/' such as recordings/; fix it in lib/config/environments/sample.ts.`,
    );
  });

  test('E2: a KMS alias is refused in favour of the full key ARN', () => {
    expect(
      refusal(
        (c) =>
          (c.replication = {
            region: 'us-west-2',
            existingBucketArn: 'arn:aws:s3:::replica-bucket',
            existingKmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:alias/recordings',
          }),
      ),
    ).toBe(
      `Environment "sample", field "replication.existingKmsKeyArn": 'arn:aws:kms:us-west-2:111111111111:alias/recordings' is a KMS alias, which is resolved once and breaks when the alias is retargeted (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
    );
  });

  test('E2: a bare alias name is refused too', () => {
    expect(
      refusal(
        (c) =>
          (c.replication = {
            region: 'us-west-2',
            existingBucketArn: 'arn:aws:s3:::replica-bucket',
            existingKmsKeyArn: 'alias/recordings',
          }),
      ),
    ).toContain(`'alias/recordings' is a KMS alias`);
  });

  test('L1: a retention class longer than the prefix-wide expiration is refused', () => {
    expect(refusal((c) => (c.retention.classes = { short: 30, long: 90, forever: 3650 }))).toBe(
      `Environment "sample", field "retention.classes.forever": 3650 days is longer than the prefix-wide expiration of 730 days, and S3 honors the shorter expiration, so this class could never apply (L1); lower it to at most 730 or lengthen compliance.retentionDays.`,
    );
  });

  test('L2: an Object Lock default retention longer than the shortest class is refused', () => {
    expect(refusal((c) => (c.objectLock = { mode: 'GOVERNANCE', defaultRetentionDays: 60 }))).toBe(
      `Environment "sample", field "objectLock.defaultRetentionDays": 60 days outlasts the shortest retention class (30 days), and lifecycle cannot delete a locked version, so those recordings would not be deleted on time (L2); set it to at most 30.`,
    );
  });

  test('L3: STANDARD_IA before 30 days is refused', () => {
    expect(refusal((c) => (c.lifecycle = { standardIaDays: 15 }))).toBe(
      `Environment "sample", field "lifecycle.standardIaDays": 15 days is refused because S3 keeps objects at least 30 days in STANDARD before STANDARD_IA (L3); set it to 30 or more.`,
    );
  });

  test('L3: GLACIER less than 30 days after STANDARD_IA is refused', () => {
    expect(refusal((c) => (c.lifecycle = { standardIaDays: 30, glacierDays: 45 }))).toBe(
      `Environment "sample", field "lifecycle.glacierDays": 45 days is refused because S3 needs 30 days in STANDARD_IA before GLACIER (L3); set it to at least 60.`,
    );
  });

  test('L3: DEEP_ARCHIVE not after GLACIER is refused', () => {
    expect(refusal((c) => (c.lifecycle = { glacierDays: 120, deepArchiveDays: 120 }))).toBe(
      `Environment "sample", field "lifecycle.deepArchiveDays": 120 days must come after the GLACIER transition at 120 days (L3); set it above 120.`,
    );
  });

  test('L3: an expiration not after the last transition is refused', () => {
    expect(
      refusal((c) => {
        c.compliance = { retentionDays: 150 };
        c.genesys.platformRetentionDays = 150;
      }),
    ).toBe(
      `Environment "sample", field "compliance.retentionDays": the expiration at 150 days is not after the last transition (DEEP_ARCHIVE at 180 days), which S3 rejects (L3); lower lifecycle.deepArchiveDays below 150.`,
    );
  });

  test('sec-17a-4 refuses GOVERNANCE mode', () => {
    expect(
      refusal((c) => {
        c.compliance = { preset: 'sec-17a-4' };
        c.objectLock = { mode: 'GOVERNANCE', defaultRetentionDays: 2555 };
        c.retention.classes = { regulated: 2555 };
        c.retention.defaultClass = 'regulated';
      }),
    ).toBe(
      `Environment "sample", field "objectLock.mode": sec-17a-4 requires non-erasable storage, which GOVERNANCE mode does not give; set objectLock.mode to 'COMPLIANCE'.`,
    );
  });

  test('an existing replica bucket needs its key, and a key needs the bucket', () => {
    expect(
      refusal((c) => (c.replication = { region: 'us-west-2', existingBucketArn: 'arn:aws:s3:::replica-bucket' })),
    ).toBe(
      `Environment "sample", field "replication.existingKmsKeyArn": the existing replica bucket arn:aws:s3:::replica-bucket needs the ARN of the KMS key that encrypts its replicas; set replication.existingKmsKeyArn (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
    );
    expect(
      refusal(
        (c) =>
          (c.replication = {
            region: 'us-west-2',
            existingKmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
          }),
      ),
    ).toBe(
      `Environment "sample", field "replication.existingKmsKeyArn": a replica key is given without replication.existingBucketArn; remove it (the app-owned replica has its own key) or set existingBucketArn.`,
    );
  });

  // Per-object retention locks each record until its own day, so the SEC rule no longer asks the
  // default lock to cover the window, which contradicted L2 whenever a class was shorter.
  test('sec-17a-4 with a 400-day class: a default lock of the window is refused by L2 alone, and its fix is accepted', () => {
    const sec = (defaultRetentionDays: number) =>
      sampleWith((c) => {
        c.compliance = { preset: 'sec-17a-4' };
        c.genesys.platformRetentionDays = 2555;
        c.objectLock = { mode: 'COMPLIANCE', defaultRetentionDays };
        c.retention.classes = { trades: 400, regulated: 2555 };
        c.retention.defaultClass = 'regulated';
      });
    expect(() => resolveConfig('sample', sec(2555))).toThrow(
      `Environment "sample", field "objectLock.defaultRetentionDays": 2555 days outlasts the shortest retention class (400 days), and lifecycle cannot delete a locked version, so those recordings would not be deleted on time (L2); set it to at most 400.`,
    );
    const fixed = resolveConfig('sample', sec(400));
    expect(fixed.objectLock).toEqual({ mode: 'COMPLIANCE', defaultRetentionDays: 400 });
    expect(fixed.compliance.retentionDays).toBe(2555);
  });

  test('sec-17a-4 accepts a short default lock in COMPLIANCE mode (per-object retention covers the window)', () => {
    const config = resolveConfig(
      'sample',
      sampleWith((c) => {
        c.compliance = { preset: 'sec-17a-4' };
        c.objectLock = { mode: 'COMPLIANCE', defaultRetentionDays: 1 };
      }),
    );
    expect(config.objectLock.defaultRetentionDays).toBe(1);
  });

  test('an explicit window may not undercut its preset', () => {
    expect(refusal((c) => (c.compliance = { preset: 'hipaa', retentionDays: 1000 }))).toBe(
      `Environment "sample", field "compliance.retentionDays": 1000 days undercuts the hipaa window of 2190 days; remove retentionDays or set it to at least 2190.`,
    );
  });

  test('the default class must be one of the classes', () => {
    expect(refusal((c) => (c.retention.defaultClass = 'medium'))).toBe(
      `Environment "sample", field "retention.defaultClass": 'medium' is not one of the classes (short, long); set it to one of them.`,
    );
  });

  test('schema errors name the environment, the field and where to fix it', () => {
    expect(refusal((c) => (c.genesys.organizationId = 'not-a-uuid'))).toBe(
      `Environment "sample", field "genesys.organizationId": 'not-a-uuid' must be the Genesys organization id (a UUID); fix it in lib/config/environments/sample.ts.`,
    );
  });

  test('break-glass roles are given by name, not ARN', () => {
    expect(refusal((c) => (c.breakGlassRoleNames = ['arn:aws:iam::111111111111:role/admin']))).toBe(
      `Environment "sample", field "breakGlassRoleNames[0]": 'arn:aws:iam::111111111111:role/admin' must be an IAM role name (no path, no ARN); fix it in lib/config/environments/sample.ts.`,
    );
  });

  test('an open-to-the-world CIDR list is refused', () => {
    expect(refusal((c) => (c.genesys.allowedCidrs = { ...c.genesys.allowedCidrs, cidrs: ['0.0.0.0/0'] }))).toBe(
      `Environment "sample", field "genesys.allowedCidrs.cidrs[0]": 0.0.0.0/0 allows every address, so the CIDR restriction would restrict nothing; list the Genesys ranges (npm run genesys:ip-ranges -- --env NAME); fix it in lib/config/environments/sample.genesys-cidrs.json.`,
    );
  });
});
