import { containsUnresolved, isRecord, ResolvedResource, resolveStacks, StackTemplate } from './resolve-template';

/** An IAM policy document as JSON. */
export type PolicyDocument = Record<string, unknown>;

/** A named identity policy attached to a principal. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/** The policies that decide who can reach the archive, as synthesized and resolved for one environment. */
export interface AccessModel {
  readonly account: string;
  readonly region: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Policy of the recording bucket. */
  readonly bucketPolicy: PolicyDocument;
  /** The bucket's Block Public Access `RestrictPublicBuckets` setting. */
  readonly restrictPublicBuckets: boolean;
  readonly archiveKeyArn: string;
  /** Key policy of the archive key. */
  readonly keyPolicy: PolicyDocument;
  readonly genesysRoleName: string;
  readonly genesysRoleArn: string;
  /** Trust policy of the Genesys role. */
  readonly genesysTrustPolicy: PolicyDocument;
  /** Every identity policy attached to the Genesys role (inline, `AWS::IAM::Policy`, managed). */
  readonly genesysIdentityPolicies: readonly NamedPolicy[];
  /** The recording-reader role (the role described as `recording-reader: ...`), when the environment has one. */
  readonly reader?: { readonly roleName: string; readonly identityPolicies: readonly NamedPolicy[] };
  /** The S3 Batch Operations role (trusted by `batchoperations.s3.amazonaws.com`) and its policies in every stack. */
  readonly batchOperations: { readonly roleName: string; readonly identityPolicies: readonly NamedPolicy[] };
  /** ARN of the Connect stack's re-tag function (`npm run archive -- retag`), when the environment has one. */
  readonly retagFunctionArn?: string;
}

function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) {
    throw new Error(`Expected exactly one ${what} in the synthesized stacks but found ${items.length}.`);
  }
  return items[0];
}

function document(value: unknown, what: string): PolicyDocument {
  if (!isRecord(value)) throw new Error(`The ${what} is missing from the synthesized template.`);
  if (containsUnresolved(value)) {
    throw new Error(`The ${what} holds an intrinsic the resolver cannot compute: ${JSON.stringify(value)}.`);
  }
  return value;
}

function statements(policy: unknown): Record<string, unknown>[] {
  if (!isRecord(policy)) return [];
  const list = policy['Statement'];
  return (Array.isArray(list) ? list : [list]).filter(isRecord);
}

function hasExternalIdCondition(role: ResolvedResource): boolean {
  return statements(role.properties['AssumeRolePolicyDocument']).some((s) => {
    const condition = s['Condition'];
    return isRecord(condition) && Object.values(condition).some((op) => isRecord(op) && 'sts:ExternalId' in op);
  });
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Identity policies attached to one role, wherever the app put them. */
function identityPoliciesOf(role: ResolvedResource, resources: readonly ResolvedResource[]): NamedPolicy[] {
  const inline = listOf(role.properties['Policies'])
    .filter(isRecord)
    .map((p) => ({
      name: `${role.logicalId}/${String(p['PolicyName'])}`,
      policy: document(p['PolicyDocument'], `inline policy of ${role.logicalId}`),
    }));
  const managedArns = new Set(listOf(role.properties['ManagedPolicyArns']).map(String));
  const attached = resources
    .filter((r) => r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy')
    .filter((r) => listOf(r.properties['Roles']).includes(role.ref) || managedArns.has(r.arn))
    .map((r) => ({ name: r.logicalId, policy: document(r.properties['PolicyDocument'], `policy ${r.logicalId}`) }));
  const known = new Set(resources.map((r) => r.arn));
  const foreign = [...managedArns].filter((arn) => !known.has(arn));
  if (foreign.length > 0) {
    throw new Error(`The Genesys role attaches managed policies the simulation cannot read: ${foreign.join(', ')}.`);
  }
  return [...inline, ...attached];
}

/**
 * Finds the recording bucket (the Object Lock bucket), its policy, the archive key (the key of
 * the bucket's default encryption), the Genesys role (the role whose trust policy requires an
 * `sts:ExternalId`) and the role's identity policies in the resolved stacks of one environment.
 */
export function buildAccessModel(stacks: readonly StackTemplate[]): AccessModel {
  // The app-owned replica (its own Object Lock bucket and key, in another region) is not what Genesys writes to.
  const resources = resolveStacks(stacks).filter((r) => !r.stackName.endsWith('-Replica'));
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  const bucket = only(
    ofType('AWS::S3::Bucket').filter((b) => b.properties['ObjectLockEnabled'] === true),
    'Object Lock bucket',
  );
  const bucketPolicy = only(
    ofType('AWS::S3::BucketPolicy').filter((p) => p.properties['Bucket'] === bucket.ref),
    `bucket policy of ${bucket.logicalId}`,
  );

  const encryption = bucket.properties['BucketEncryption'];
  const rules = isRecord(encryption) ? listOf(encryption['ServerSideEncryptionConfiguration']).filter(isRecord) : [];
  const keyRef = rules
    .map((rule) => rule['ServerSideEncryptionByDefault'])
    .filter(isRecord)
    .map((d) => d['KMSMasterKeyID'])
    .find((id): id is string => typeof id === 'string');
  const key = only(
    ofType('AWS::KMS::Key').filter((k) => k.arn === keyRef || k.ref === keyRef),
    `KMS key of ${bucket.logicalId}'s default encryption`,
  );

  const role = only(
    ofType('AWS::IAM::Role').filter(hasExternalIdCondition),
    'role trusted with an sts:ExternalId (the Genesys role)',
  );
  const reader = ofType('AWS::IAM::Role').find((r) =>
    (typeof r.properties['Description'] === 'string' ? r.properties['Description'] : '').startsWith(
      'recording-reader:',
    ),
  );
  const batchRole = only(
    ofType('AWS::IAM::Role').filter((r) =>
      JSON.stringify(r.properties['AssumeRolePolicyDocument']).includes('batchoperations.s3.amazonaws.com'),
    ),
    'role trusted by S3 Batch Operations',
  );
  const retag = ofType('AWS::Lambda::Function').find((f) => f.logicalId.startsWith('RetagRetaggerFunction'));
  const publicAccess = bucket.properties['PublicAccessBlockConfiguration'];
  const stack = stacks.find((s) => s.stackName === bucket.stackName)!;

  return {
    account: stack.account,
    region: stack.region,
    bucketName: bucket.ref,
    bucketArn: bucket.arn,
    bucketPolicy: document(bucketPolicy.properties['PolicyDocument'], `policy of bucket ${bucket.logicalId}`),
    restrictPublicBuckets: isRecord(publicAccess) && publicAccess['RestrictPublicBuckets'] === true,
    archiveKeyArn: key.arn,
    keyPolicy: document(key.properties['KeyPolicy'], `key policy of ${key.logicalId}`),
    genesysRoleName: role.ref,
    genesysRoleArn: role.arn,
    genesysTrustPolicy: document(role.properties['AssumeRolePolicyDocument'], `trust policy of ${role.logicalId}`),
    genesysIdentityPolicies: identityPoliciesOf(role, resources),
    ...(reader ? { reader: { roleName: reader.ref, identityPolicies: identityPoliciesOf(reader, resources) } } : {}),
    batchOperations: { roleName: batchRole.ref, identityPolicies: identityPoliciesOf(batchRole, resources) },
    ...(retag ? { retagFunctionArn: retag.arn } : {}),
  };
}
