import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS, replicaNames, replicaTarget } from '../../lib/config';
import { connectRuleIdPrefix } from '../../lib/constructs/connect-bucket-lifecycle';
import { archiveLifecycleProps, archiveLifecycleRules, toS3LifecycleRules } from '../../lib/constructs/lifecycle-rules';
import { genesysExportPrefix } from '../../lib/stacks/archive-stack';
import { retentionTimeline } from '../../lib/retention/timeline';
import { buildEnvironment, configWith, ENVIRONMENT_NAMES } from '../support/app';

type Statement = { Action: string | string[]; Resource?: unknown; Effect: string; Condition?: unknown };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
function statements(template: Template, pathFragment: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([id]) => id.includes(pathFragment))
    .flatMap(
      ([, p]) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
}

describe.each(ENVIRONMENT_NAMES)('retention on every copy, environment %s', (envName) => {
  const { stacks, config } = buildEnvironment(envName);
  const archive = Template.fromStack(stacks.archive);

  test('the archive sends its events to EventBridge, and a rule on Object Created under the Genesys export prefix invokes the lock function', () => {
    archive.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    const prefix = genesysExportPrefix(config);
    expect(prefix).toBe(`${config.recordingsPrefix}${config.genesys.organizationId}/`);
    archive.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: Match.stringLikeRegexp('RecordingBucketRecordings') }] },
          object: { key: [{ prefix }] },
        },
      },
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
    archive.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOCK_DAYS: String(config.compliance.retentionDays) }) },
    });
    archive.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('GenesysExportLockParked'), 'Arn'] } },
      },
    });
  });

  test("the lock function's role may lengthen retention under the export prefix only, and never bypass governance", () => {
    const s = statements(archive, 'GenesysExportLock');
    const all = s.flatMap(actionsOf);
    expect(all).not.toContain('s3:BypassGovernanceRetention');
    expect(all).not.toContain('s3:GetObject');
    expect(all).not.toContain('s3:DeleteObjectVersion');
    const put = s.find((st) => actionsOf(st).includes('s3:PutObjectRetention'))!;
    expect(actionsOf(put).sort()).toEqual(['s3:GetObjectRetention', 's3:PutObjectRetention']);
    expect(JSON.stringify(put.Resource)).toContain(`/${genesysExportPrefix(config)}*`);
    const list = s.find((st) => actionsOf(st).includes('s3:ListBucketVersions'))!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': `${genesysExportPrefix(config)}*` } });
  });

  test('the Connect tagger may lengthen retention under its prefixes, never bypass governance', () => {
    if (!stacks.connect) return;
    const connect = Template.fromStack(stacks.connect);
    const s = statements(connect, 'Tagger');
    expect(s.flatMap(actionsOf)).not.toContain('s3:BypassGovernanceRetention');
    const put = s.find((st) => actionsOf(st).includes('s3:PutObjectRetention'))!;
    // CDK merges statements on the same resources: tagging and retention, nothing else.
    expect(actionsOf(put).sort()).toEqual([
      's3:GetObjectRetention',
      's3:GetObjectTagging',
      's3:PutObjectRetention',
      's3:PutObjectTagging',
    ]);
    const resources = JSON.stringify(put.Resource);
    if (config.connect?.existingRecordingBucket) {
      expect(resources).toContain(
        `${config.connect.existingRecordingBucket.bucketName}/${config.connect.existingRecordingBucket.prefix}*`,
      );
    }
    connect.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RETENTION_CLASS_DAYS: JSON.stringify(config.retention.classes) }) },
    });
  });

  test('the existing Connect bucket gets a fallback expiration of the whole prefix at the longest class', () => {
    const existing = config.connect?.existingRecordingBucket;
    if (!existing || !stacks.connect) return;
    const connect = Template.fromStack(stacks.connect);
    const resources = connect.findResources('Custom::ConnectBucketLifecycle');
    const [resource] = Object.values(resources) as Array<{ Properties: { Rules: string } }>;
    const rules = JSON.parse(resource.Properties.Rules) as Array<{ ID: string; Filter: unknown; Expiration: unknown }>;
    const fallback = rules.find((r) => r.ID === `${connectRuleIdPrefix(envName)}untagged-fallback`);
    expect(fallback).toEqual({
      ID: `${connectRuleIdPrefix(envName)}untagged-fallback`,
      Status: 'Enabled',
      Filter: { Prefix: existing.prefix },
      Expiration: { Days: Math.max(...Object.values(config.retention.classes)) },
      NoncurrentVersionExpiration: { NoncurrentDays: existing.noncurrentVersionExpirationDays },
    });
    // Every class keeps its own, shorter or equal, tag-filtered rule.
    for (const [name, days] of Object.entries(config.retention.classes)) {
      expect(rules).toContainEqual(
        expect.objectContaining({
          ID: `${connectRuleIdPrefix(envName)}retention-class-${name}`,
          Expiration: { Days: days },
        }),
      );
    }
  });

  test("with connect.recordIntoArchive, an untagged recording under connect/ expires on the longest class's day in a rule of its own, as the timeline says", () => {
    if (!config.connect?.recordIntoArchive) return;
    const bucket = Object.values(
      archive.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }),
    )[0] as { Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } } };
    const rules = bucket.Properties.LifecycleConfiguration.Rules.filter((r) => r.Prefix === 'connect/');
    const longest = Math.max(...Object.values(config.retention.classes));
    expect(rules.find((r) => r.Id === 'connect-untagged-fallback')).toEqual({
      Id: 'connect-untagged-fallback',
      Prefix: 'connect/',
      Status: 'Enabled',
      ExpirationInDays: longest,
      NoncurrentVersionExpiration: { NoncurrentDays: config.lifecycle.noncurrentVersionExpirationDays },
    });
    // S3 applies the shortest untagged expiration that matches; the timeline and `npm run retention` print that day.
    const untaggedDays = rules
      .filter((r) => !r.TagFilters && r.ExpirationInDays !== undefined)
      .map((r) => r.ExpirationInDays as number);
    const day = Math.min(...untaggedDays);
    expect(day).toBe(Math.min(longest, config.compliance.retentionDays));
    const row = retentionTimeline(config).find((r) => r.copy === 'archive' && r.source === 'connect' && r.untagged)!;
    expect(row.deleteMarkerDay).toBe(day);
    expect(row.bytesGoneDay).toBe(day + config.lifecycle.noncurrentVersionExpirationDays);
    // No class rule is longer than the fallback, so the fallback never shortens a class.
    for (const r of rules.filter((x) => x.TagFilters))
      expect(r.ExpirationInDays as number).toBeLessThanOrEqual(longest);
  });

  test('an app-owned replica has its own retained, rotating key and a locked, TLS-only bucket with exactly the archive rules', () => {
    const target = replicaTarget(config);
    if (!target?.appOwned) {
      expect(stacks.replica).toBeUndefined();
      return;
    }
    const replica = Template.fromStack(stacks.replica!);
    expect(stacks.replica!.region).toBe(config.replication!.region);
    expect(stacks.replica!.stackName).toBe(`RecordingArchive-${envName}-Replica`);
    replica.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    replica.hasResourceProperties('AWS::KMS::Alias', { AliasName: replicaNames(config).keyAlias });
    const bucketOf = (t: Template) =>
      Object.values(t.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }))[0] as {
        DeletionPolicy: string;
        Properties: Record<string, unknown>;
      };
    const archiveBucket = bucketOf(archive);
    const replicaBucket = bucketOf(replica);
    expect(replicaBucket.DeletionPolicy).toBe('Retain');
    expect(replicaBucket.Properties.BucketName).toBe(target.bucketName);
    expect(replicaBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(replicaBucket.Properties.ObjectLockConfiguration).toEqual(archiveBucket.Properties.ObjectLockConfiguration);
    // The recordings prefix's rules (the replication filter); the archive's reports/ rules stay with the archive.
    const recordingRules = (b: typeof archiveBucket) =>
      (b.Properties.LifecycleConfiguration as { Rules: Array<{ Prefix?: string }> }).Rules.filter(
        (r) => r.Prefix === config.recordingsPrefix,
      );
    expect(recordingRules(replicaBucket)).toEqual(recordingRules(archiveBucket));
    expect(recordingRules(replicaBucket)).toHaveLength(archiveLifecycleRules(archiveLifecycleProps(config)).length);
    expect((replicaBucket.Properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toHaveLength(
      recordingRules(replicaBucket).length,
    );
    expect(replicaBucket.Properties.LifecycleConfiguration).toMatchObject({
      TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
    });
    expect(replicaBucket.Properties.PublicAccessBlockConfiguration).toEqual(
      archiveBucket.Properties.PublicAccessBlockConfiguration,
    );
    expect(replicaBucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    replica.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // The archive replicates into that bucket with that key (by alias), and the role may use only keys carrying it.
    archive.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Rules: [
          Match.objectLike({
            Destination: Match.objectLike({
              Bucket: target.bucketArn,
              EncryptionConfiguration: { ReplicaKmsKeyID: target.kmsKeyArn },
            }),
          }),
        ],
      },
    });
    archive.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'EncryptReplicas',
            Condition: {
              StringEquals: { 'kms:ViaService': `s3.${target.region}.amazonaws.com` },
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [target.keyAlias] },
            },
          }),
        ]),
      },
    });
  });
});

test('with replication.existingBucketArn the archive merges exactly its own rules into that bucket, in its region', () => {
  const envName = 'sample';
  const config = configWith(envName, (c) => ({
    ...c,
    replication: {
      region: 'us-west-2',
      existingBucketArn: 'arn:aws:s3:::existing-replica',
      existingKmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
    },
  }));
  const { stacks } = buildEnvironment(envName, {}, config);
  expect(stacks.replica).toBeUndefined();
  const archive = Template.fromStack(stacks.archive);
  const [resource] = Object.values(archive.findResources('Custom::ConnectBucketLifecycle')) as Array<{
    Properties: Record<string, string>;
  }>;
  expect(resource.Properties.BucketName).toBe('existing-replica');
  expect(resource.Properties.Region).toBe('us-west-2');
  expect(JSON.parse(resource.Properties.Rules)).toEqual(
    JSON.parse(
      JSON.stringify(
        toS3LifecycleRules(archiveLifecycleRules(archiveLifecycleProps(config)), connectRuleIdPrefix(envName)),
      ),
    ),
  );
  // The same rules as the archive bucket's own configuration, rule by rule.
  const bucket = Object.values(
    archive.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }),
  )[0] as {
    Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } };
  };
  const merged = JSON.parse(resource.Properties.Rules) as Array<{
    ID: string;
    Expiration?: { Days?: number };
    NoncurrentVersionExpiration?: { NoncurrentDays: number };
  }>;
  const own = bucket.Properties.LifecycleConfiguration.Rules.filter(
    (r) => String(r.Id).startsWith('archive-') || String(r.Id).startsWith('retention-class-'),
  );
  expect(merged.map((r) => r.ID)).toEqual(own.map((r) => `${connectRuleIdPrefix(envName)}${String(r.Id)}`));
  own.forEach((rule, i) => {
    expect(merged[i].Expiration?.Days).toEqual(rule.ExpirationInDays);
    expect(merged[i].NoncurrentVersionExpiration?.NoncurrentDays).toEqual(
      (rule.NoncurrentVersionExpiration as { NoncurrentDays: number } | undefined)?.NoncurrentDays,
    );
  });
});

test('every committed environment names its replica deterministically (stack and archive agree)', () => {
  for (const envName of Object.keys(ENVIRONMENTS)) {
    const { config } = buildEnvironment(envName);
    const target = replicaTarget(config);
    if (!target?.appOwned) continue;
    expect(target.bucketName).toBe(`recording-replica-${envName}-${config.account}-${config.replication!.region}`);
    expect(target.bucketName.length).toBeLessThanOrEqual(63);
  }
});
