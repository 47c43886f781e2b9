/**
 * The access scenarios: who asks for what, under which request context, and what the
 * environment must answer. Every scenario runs against every committed environment.
 *
 * Context values may hold placeholders that each environment fills from its own config and
 * synthesized templates:
 * - `{insideIp}`: first host of the first committed Genesys CIDR; `{lastInsideIp}`: last host of the last one
 * - `{outsideIp}`: an address in none of the CIDRs; `{nextToCidrIp}`: the first address after a CIDR that no other CIDR holds
 * - `{breakGlassRoleName}`: the environment's first break-glass role
 * - `{externalId}`: the Genesys organization id; `{archiveKeyArn}`: the archive key; `{otherKeyArn}`: a key in the same account that is not the archive key
 * - `{s3ViaService}`: `s3.<region>.amazonaws.com`; `{otherRegionS3ViaService}`: S3 in another region; `{prefix}`: the recordings prefix
 */

/** The three answers IAM can give. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** Who makes the request (see {@link PRINCIPALS}). */
export type PrincipalName =
  | 'genesys-role'
  | 'genesys-account'
  | 'account-admin'
  | 'break-glass'
  | 'other-account-admin'
  | 'anonymous'
  | 'legal-hold'
  | 'reader'
  | 'batch-operations'
  | 'connect';

/**
 * What the request is about: an object under or outside the prefix, a Connect recording under
 * `connect/` (environments with `connect.recordIntoArchive`), the bucket, the archive key, the
 * Genesys role, the re-tag function and another function.
 */
export type ResourceName =
  | 'recording-object'
  | 'object-outside-prefix'
  | 'connect-recording'
  | 'bucket'
  | 'archive-key'
  | 'genesys-role'
  | 'retag-function'
  | 'other-function';

/** One row of the access matrix. */
export interface AccessScenario {
  /** Stable kebab-case id, used by tests and in the matrix. */
  readonly id: string;
  /** What the scenario proves, in a few words. */
  readonly description: string;
  readonly principal: PrincipalName;
  /** The IAM action, e.g. `s3:PutObject`. */
  readonly action: string;
  readonly resource: ResourceName;
  /** Request context keys (placeholders allowed in values). */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /** The decision every environment must give. */
  readonly expected: Decision;
  /** A statement that must be among the deciding ones: its Sid, or the label of an unnamed statement. */
  readonly decidedBy?: string;
}

/** A principal of the scenarios: its ARN pattern and the identity policies it carries. */
export interface PrincipalSpec {
  /** Who this is, for the matrix. */
  readonly label: string;
  /** ARN with `{account}`, `{genesysAccount}`, `{otherAccount}`, `{genesysRoleName}` placeholders; absent for anonymous requests. */
  readonly arn?: string;
  /** ARN that `aws:PrincipalArn` carries (the role, for a role session). */
  readonly principalArn?: string;
  /**
   * Identity policies: `template` = the Genesys role's policies as synthesized; `reader-template` =
   * the recording-reader role's; `batch-template` = the Batch Operations role's, from every stack.
   */
  readonly identityPolicies: 'template' | 'reader-template' | 'batch-template' | readonly Record<string, unknown>[];
}

const ADMINISTRATOR_ACCESS = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** Every principal the scenarios use. */
export const PRINCIPALS: Readonly<Record<PrincipalName, PrincipalSpec>> = {
  'genesys-role': {
    label: 'Genesys role session',
    arn: 'arn:aws:sts::{account}:assumed-role/{genesysRoleName}/genesys-export',
    principalArn: 'arn:aws:iam::{account}:role/{genesysRoleName}',
    identityPolicies: 'template',
  },
  'genesys-account': {
    label: 'Genesys account caller',
    arn: 'arn:aws:iam::{genesysAccount}:role/genesys-recording-export',
    // Genesys's own side lets its exporter assume customer roles; the trust policy decides.
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [{ Sid: 'GenesysMayAssumeCustomerRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      },
    ],
  },
  'account-admin': {
    label: 'same-account admin',
    arn: 'arn:aws:iam::{account}:role/ArchiveAdministrator',
    identityPolicies: [ADMINISTRATOR_ACCESS],
  },
  'break-glass': {
    label: 'break-glass role session',
    arn: 'arn:aws:sts::{account}:assumed-role/{breakGlassRoleName}/incident',
    principalArn: 'arn:aws:iam::{account}:role/{breakGlassRoleName}',
    identityPolicies: [ADMINISTRATOR_ACCESS],
  },
  'other-account-admin': {
    label: 'other-account admin',
    arn: 'arn:aws:iam::{otherAccount}:role/Administrator',
    identityPolicies: [ADMINISTRATOR_ACCESS],
  },
  anonymous: { label: 'anonymous', identityPolicies: [] },
  'legal-hold': {
    label: 'legal-hold role session',
    arn: 'arn:aws:sts::{account}:assumed-role/{legalHoldRoleName}/counsel',
    principalArn: 'arn:aws:iam::{account}:role/{legalHoldRoleName}',
    identityPolicies: [ADMINISTRATOR_ACCESS],
  },
  // Amazon Connect writing call recordings into the archive (connect.recordIntoArchive). Its rights
  // come from the storage association: Connect adds an inline policy to its service-linked role and
  // a KMS grant on the archive key. Modelled broader than Connect's own (every object of the bucket)
  // so the rows show that the bucket policy, not Connect's policy, keeps it inside connect/.
  connect: {
    label: "Amazon Connect's service-linked role",
    arn: 'arn:aws:sts::{account}:assumed-role/AWSServiceRoleForAmazonConnect_0a1b2c3d/connect',
    principalArn:
      'arn:aws:iam::{account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_0a1b2c3d',
    identityPolicies: [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ConnectStorageAssociation',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:PutObjectTagging'],
            Resource: '{bucketArn}/*',
          },
          {
            Sid: 'ConnectKmsGrant',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: '{archiveKeyArn}',
          },
        ],
      },
    ],
  },
  reader: {
    label: 'recording-reader role session',
    arn: 'arn:aws:sts::{account}:assumed-role/{readerRoleName}/auditor',
    principalArn: 'arn:aws:iam::{account}:role/{readerRoleName}',
    identityPolicies: 'reader-template',
  },
  'batch-operations': {
    label: 'S3 Batch Operations role session',
    arn: 'arn:aws:sts::{account}:assumed-role/{batchRoleName}/s3-batch-operations',
    principalArn: 'arn:aws:iam::{account}:role/{batchRoleName}',
    identityPolicies: 'batch-template',
  },
};

const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
const FROM_GENESYS = { ...TLS, 'aws:SourceIp': '{insideIp}' };
const VIA_S3 = { 'kms:ViaService': '{s3ViaService}' };
/** How Connect uploads a recording: over TLS, encrypted with the archive key. */
const CONNECT_WRITE = {
  ...TLS,
  's3:x-amz-server-side-encryption': 'aws:kms',
  's3:x-amz-server-side-encryption-aws-kms-key-id': '{archiveKeyArn}',
};

/** Label of the bucket policy's TLS deny, which CDK's `enforceSSL` writes without a Sid. */
export const TLS_DENY = 'no Sid: Deny s3:* if aws:SecureTransport';
/** Label of the bucket policy's TLS-version deny (CDK's `minimumTLSVersion`). */
export const TLS_VERSION_DENY = 'no Sid: Deny s3:* if s3:TlsVersion';
/** Label of an implicit deny: no statement allows the request. */
export const NO_ALLOW = 'no Allow';

/** The access scenarios (at least 25), run for every committed environment. */
export const SCENARIOS: readonly AccessScenario[] = [
  // Genesys writes recordings.
  {
    id: 'genesys-put-inside-cidr',
    description: 'Genesys uploads a recording from its CIDR over TLS',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'Allowed',
    decidedBy: 'WriteRecordings',
  },
  {
    id: 'genesys-put-last-cidr',
    description: 'Genesys uploads from the last host of the last CIDR',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: { ...TLS, 'aws:SourceIp': '{lastInsideIp}' },
    expected: 'Allowed',
    decidedBy: 'WriteRecordings',
  },
  {
    id: 'genesys-put-archive-key',
    description: 'Genesys uploads asking for SSE-KMS with the archive key',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: {
      ...FROM_GENESYS,
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': '{archiveKeyArn}',
    },
    expected: 'Allowed',
    decidedBy: 'WriteRecordings',
  },
  {
    id: 'genesys-put-outside-cidr',
    description: 'Genesys role writes from an address outside every CIDR',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: { ...TLS, 'aws:SourceIp': '{outsideIp}' },
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysWritesOutsideAllowedCidrs',
  },
  {
    id: 'genesys-put-next-to-cidr',
    description: 'Genesys role writes from the first address past a CIDR',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: { ...TLS, 'aws:SourceIp': '{nextToCidrIp}' },
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysWritesOutsideAllowedCidrs',
  },
  {
    id: 'genesys-put-no-source-ip',
    description: 'Genesys role writes with no aws:SourceIp (e.g. through a VPC endpoint)',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysWritesOutsideAllowedCidrs',
  },
  {
    id: 'genesys-put-without-tls',
    description: 'Genesys uploads over plain HTTP',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: { 'aws:SecureTransport': 'false', 'aws:SourceIp': '{insideIp}' },
    expected: 'ExplicitlyDenied',
    decidedBy: TLS_DENY,
  },
  {
    id: 'genesys-put-old-tls',
    description: 'Genesys uploads over TLS 1.1',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:TlsVersion': '1.1' },
    expected: 'ExplicitlyDenied',
    decidedBy: TLS_VERSION_DENY,
  },
  {
    id: 'genesys-put-other-kms-key',
    description: 'Genesys upload asks for another KMS key',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: {
      ...FROM_GENESYS,
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': '{otherKeyArn}',
    },
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyUploadsWithOtherKmsKey',
  },
  {
    id: 'genesys-put-sse-s3',
    description: 'Genesys upload asks for SSE-S3 (AES256)',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-server-side-encryption': 'AES256' },
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyUploadsWithOtherEncryption',
  },
  // The ACL Genesys may send with a PUT (s3:PutObjectAcl): bucket-owner-full-control only, from its CIDRs.
  {
    id: 'genesys-acl-owner-full-control',
    description: 'Genesys uploads with x-amz-acl bucket-owner-full-control',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'bucket-owner-full-control' },
    expected: 'Allowed',
    decidedBy: 'WriteRecordingsWithOwnerAcl',
  },
  {
    id: 'genesys-acl-public-read',
    description: 'Genesys role sets the ACL public-read',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'public-read' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-acl-public-read-write',
    description: 'Genesys role sets the ACL public-read-write',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'public-read-write' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-acl-authenticated-read',
    description: 'Genesys role sets the ACL authenticated-read',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'authenticated-read' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-acl-bucket-owner-read',
    description: 'Genesys role sets the ACL bucket-owner-read',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'bucket-owner-read' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-acl-private',
    description: 'Genesys role sets the ACL private',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'private' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-acl-grant-header',
    description: 'Genesys role grants by x-amz-grant-* header (no canned ACL)',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...FROM_GENESYS, 's3:x-amz-grant-read': 'uri=http://acs.amazonaws.com/groups/global/AllUsers' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-acl-outside-cidr',
    description: 'Genesys role sends the owner ACL from outside every CIDR',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'recording-object',
    context: { ...TLS, 'aws:SourceIp': '{outsideIp}', 's3:x-amz-acl': 'bucket-owner-full-control' },
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysWritesOutsideAllowedCidrs',
  },
  {
    id: 'genesys-acl-outside-prefix',
    description: 'Genesys role sends the owner ACL outside the prefix',
    principal: 'genesys-role',
    action: 's3:PutObjectAcl',
    resource: 'object-outside-prefix',
    context: { ...FROM_GENESYS, 's3:x-amz-acl': 'bucket-owner-full-control' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-get-encryption',
    description: 'Genesys role reads the bucket default encryption',
    principal: 'genesys-role',
    action: 's3:GetEncryptionConfiguration',
    resource: 'bucket',
    context: FROM_GENESYS,
    expected: 'Allowed',
    decidedBy: 'ReadBucketLocation',
  },
  {
    id: 'genesys-put-encryption',
    description: 'Genesys role changes the bucket default encryption',
    principal: 'genesys-role',
    action: 's3:PutEncryptionConfiguration',
    resource: 'bucket',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  // The Genesys role outside its job.
  {
    id: 'genesys-put-outside-prefix',
    description: 'Genesys role writes outside the recordings prefix',
    principal: 'genesys-role',
    action: 's3:PutObject',
    resource: 'object-outside-prefix',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-get-recording',
    description: 'Genesys role reads a recording',
    principal: 'genesys-role',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-get-outside-prefix',
    description: 'Genesys role reads outside the prefix',
    principal: 'genesys-role',
    action: 's3:GetObject',
    resource: 'object-outside-prefix',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-list-prefix',
    description: 'Genesys role lists the recordings prefix',
    principal: 'genesys-role',
    action: 's3:ListBucket',
    resource: 'bucket',
    context: { ...FROM_GENESYS, 's3:prefix': '{prefix}' },
    expected: 'Allowed',
    decidedBy: 'ListRecordings',
  },
  {
    id: 'genesys-list-outside-cidr',
    description: 'Genesys role lists the prefix from outside every CIDR (only writes are CIDR-bound)',
    principal: 'genesys-role',
    action: 's3:ListBucket',
    resource: 'bucket',
    context: { ...TLS, 'aws:SourceIp': '{outsideIp}', 's3:prefix': '{prefix}' },
    expected: 'Allowed',
    decidedBy: 'ListRecordings',
  },
  {
    id: 'genesys-list-outside-prefix',
    description: 'Genesys role lists another prefix',
    principal: 'genesys-role',
    action: 's3:ListBucket',
    resource: 'bucket',
    context: { ...FROM_GENESYS, 's3:prefix': 'outside/' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-delete-object',
    description: 'Genesys role deletes a recording',
    principal: 'genesys-role',
    action: 's3:DeleteObject',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-delete-object-version',
    description: 'Genesys role deletes a recording version',
    principal: 'genesys-role',
    action: 's3:DeleteObjectVersion',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-put-object-retention',
    description: "Genesys role changes a recording's retention",
    principal: 'genesys-role',
    action: 's3:PutObjectRetention',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-bypass-governance',
    description: 'Genesys role bypasses governance retention',
    principal: 'genesys-role',
    action: 's3:BypassGovernanceRetention',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGovernanceBypassExceptBreakGlass',
  },
  {
    id: 'genesys-put-bucket-policy',
    description: 'Genesys role replaces the bucket policy',
    principal: 'genesys-role',
    action: 's3:PutBucketPolicy',
    resource: 'bucket',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  // The Genesys role and the archive key.
  {
    id: 'genesys-kms-through-s3',
    description: 'Genesys role gets a data key through S3',
    principal: 'genesys-role',
    action: 'kms:GenerateDataKey',
    resource: 'archive-key',
    context: VIA_S3,
    expected: 'Allowed',
    decidedBy: 'UseArchiveKeyThroughS3',
  },
  {
    id: 'genesys-kms-decrypt-direct',
    description: 'Genesys role decrypts with the key directly',
    principal: 'genesys-role',
    action: 'kms:Decrypt',
    resource: 'archive-key',
    context: {},
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysRoleOutsideS3',
  },
  {
    id: 'genesys-kms-other-region',
    description: 'Genesys role uses the key through S3 in another region',
    principal: 'genesys-role',
    action: 'kms:Decrypt',
    resource: 'archive-key',
    context: { 'kms:ViaService': '{otherRegionS3ViaService}' },
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysRoleOutsideS3',
  },
  {
    id: 'genesys-kms-schedule-deletion',
    description: "Genesys role schedules the key's deletion",
    principal: 'genesys-role',
    action: 'kms:ScheduleKeyDeletion',
    resource: 'archive-key',
    context: {},
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGenesysRoleOutsideS3',
  },
  {
    id: 'genesys-kms-put-key-policy',
    description: 'Genesys role rewrites the key policy (claiming S3)',
    principal: 'genesys-role',
    action: 'kms:PutKeyPolicy',
    resource: 'archive-key',
    context: VIA_S3,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  // Assuming the Genesys role.
  {
    id: 'genesys-assume-role',
    description: 'Genesys assumes the role with the org id as ExternalId',
    principal: 'genesys-account',
    action: 'sts:AssumeRole',
    resource: 'genesys-role',
    context: { 'sts:ExternalId': '{externalId}' },
    expected: 'Allowed',
  },
  {
    id: 'genesys-assume-role-wrong-external-id',
    description: "Genesys account assumes the role with another org's id",
    principal: 'genesys-account',
    action: 'sts:AssumeRole',
    resource: 'genesys-role',
    context: { 'sts:ExternalId': 'ffffffff-ffff-4fff-8fff-ffffffffffff' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-assume-role-no-external-id',
    description: 'Genesys account assumes the role without ExternalId',
    principal: 'genesys-account',
    action: 'sts:AssumeRole',
    resource: 'genesys-role',
    context: {},
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'other-account-assume-role',
    description: 'Another account assumes the role with the right ExternalId',
    principal: 'other-account-admin',
    action: 'sts:AssumeRole',
    resource: 'genesys-role',
    context: { 'sts:ExternalId': '{externalId}' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'genesys-account-put-direct',
    description: 'Genesys account writes without assuming the role',
    principal: 'genesys-account',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  // Other accounts and anonymous callers.
  {
    id: 'other-account-get-recording',
    description: "Another account's admin reads a recording",
    principal: 'other-account-admin',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'other-account-put-recording',
    description: "Another account's admin writes from a Genesys CIDR",
    principal: 'other-account-admin',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'other-account-kms-decrypt',
    description: "Another account's admin decrypts through S3",
    principal: 'other-account-admin',
    action: 'kms:Decrypt',
    resource: 'archive-key',
    context: VIA_S3,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'anonymous-get-recording',
    description: 'Anonymous read of a recording',
    principal: 'anonymous',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'anonymous-put-recording',
    description: 'Anonymous upload from a Genesys CIDR',
    principal: 'anonymous',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: FROM_GENESYS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'anonymous-list-bucket',
    description: 'Anonymous listing of the bucket',
    principal: 'anonymous',
    action: 's3:ListBucket',
    resource: 'bucket',
    context: { ...TLS, 's3:prefix': '{prefix}' },
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  // Same-account administrators: IAM decides, the bucket policy still enforces TLS.
  {
    id: 'admin-get-recording',
    description: 'Same-account admin reads a recording over TLS',
    principal: 'account-admin',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'Allowed',
    decidedBy: 'AdministratorAccess',
  },
  {
    id: 'admin-get-without-tls',
    description: 'Same-account admin reads over plain HTTP',
    principal: 'account-admin',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: { 'aws:SecureTransport': 'false' },
    expected: 'ExplicitlyDenied',
    decidedBy: TLS_DENY,
  },
  {
    id: 'admin-bypass-governance',
    description: 'Same-account admin bypasses governance retention',
    principal: 'account-admin',
    action: 's3:BypassGovernanceRetention',
    resource: 'recording-object',
    context: TLS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyGovernanceBypassExceptBreakGlass',
  },
  {
    id: 'admin-schedule-key-deletion',
    description: "Same-account admin schedules the key's deletion",
    principal: 'account-admin',
    action: 'kms:ScheduleKeyDeletion',
    resource: 'archive-key',
    context: {},
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyKeyDeletionExceptBreakGlass',
  },
  {
    id: 'admin-disable-key',
    description: 'Same-account admin disables the key',
    principal: 'account-admin',
    action: 'kms:DisableKey',
    resource: 'archive-key',
    context: {},
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyKeyDeletionExceptBreakGlass',
  },
  // The break-glass role of the environment: the only principal allowed past those two guardrails.
  {
    id: 'break-glass-bypass-governance',
    description: 'Break-glass role bypasses governance retention over TLS',
    principal: 'break-glass',
    action: 's3:BypassGovernanceRetention',
    resource: 'recording-object',
    context: TLS,
    expected: 'Allowed',
    decidedBy: 'AdministratorAccess',
  },
  {
    id: 'break-glass-schedule-key-deletion',
    description: "Break-glass role schedules the key's deletion",
    principal: 'break-glass',
    action: 'kms:ScheduleKeyDeletion',
    resource: 'archive-key',
    context: {},
    expected: 'Allowed',
    decidedBy: 'AdministratorAccess',
  },
  {
    id: 'break-glass-without-tls',
    description: 'Break-glass role reads over plain HTTP',
    principal: 'break-glass',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: { 'aws:SecureTransport': 'false' },
    expected: 'ExplicitlyDenied',
    decidedBy: TLS_DENY,
  },
  // Legal holds: only the roles of operations.legalHoldRoleNames (and the Batch Operations role) may place or lift them.
  {
    id: 'legal-hold-role-puts-hold',
    description: 'Legal-hold role places a legal hold over TLS',
    principal: 'legal-hold',
    action: 's3:PutObjectLegalHold',
    resource: 'recording-object',
    context: TLS,
    expected: 'Allowed',
    decidedBy: 'AdministratorAccess',
  },
  {
    id: 'admin-put-legal-hold',
    description: 'Same-account admin places or lifts a legal hold',
    principal: 'account-admin',
    action: 's3:PutObjectLegalHold',
    resource: 'recording-object',
    context: TLS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyLegalHoldExceptHoldRoles',
  },
  {
    id: 'break-glass-put-legal-hold',
    description: 'Break-glass role lifts a legal hold',
    principal: 'break-glass',
    action: 's3:PutObjectLegalHold',
    resource: 'recording-object',
    context: TLS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyLegalHoldExceptHoldRoles',
  },
  // Amazon Connect records into connect/ (connect.recordIntoArchive) and nowhere else.
  {
    id: 'connect-writes-recording',
    description: 'Connect writes a call recording under connect/ over TLS',
    principal: 'connect',
    action: 's3:PutObject',
    resource: 'connect-recording',
    context: CONNECT_WRITE,
    expected: 'Allowed',
    decidedBy: 'ConnectStorageAssociation',
  },
  {
    id: 'connect-writes-genesys-prefix',
    description: "Connect writes into the Genesys recordings' prefix",
    principal: 'connect',
    action: 's3:PutObject',
    resource: 'recording-object',
    context: CONNECT_WRITE,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyConnectOutsideItsPrefix',
  },
  {
    id: 'connect-writes-outside',
    description: 'Connect writes elsewhere in the bucket',
    principal: 'connect',
    action: 's3:PutObject',
    resource: 'object-outside-prefix',
    context: CONNECT_WRITE,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyConnectOutsideItsPrefix',
  },
  {
    id: 'connect-deletes-genesys-recording',
    description: 'Connect deletes a Genesys recording',
    principal: 'connect',
    action: 's3:DeleteObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyConnectOutsideItsPrefix',
  },
  {
    id: 'connect-without-tls',
    description: 'Connect writes under connect/ over plain HTTP',
    principal: 'connect',
    action: 's3:PutObject',
    resource: 'connect-recording',
    context: { 'aws:SecureTransport': 'false' },
    expected: 'ExplicitlyDenied',
    decidedBy: TLS_DENY,
  },
  {
    id: 'connect-kms-through-s3',
    description: 'Connect encrypts with the archive key through S3',
    principal: 'connect',
    action: 'kms:GenerateDataKey',
    resource: 'archive-key',
    context: VIA_S3,
    expected: 'Allowed',
    decidedBy: 'ConnectKmsGrant',
  },
  // The recording-reader role of auditors: read, restore, presign under the prefix; nothing else.
  {
    id: 'reader-get-recording',
    description: 'Reader reads a recording version',
    principal: 'reader',
    action: 's3:GetObjectVersion',
    resource: 'recording-object',
    context: TLS,
    expected: 'Allowed',
    decidedBy: 'ReadAndRestoreRecordings',
  },
  {
    id: 'reader-restore-recording',
    description: 'Reader restores an archived recording',
    principal: 'reader',
    action: 's3:RestoreObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'Allowed',
    decidedBy: 'ReadAndRestoreRecordings',
  },
  {
    id: 'reader-list-prefix',
    description: 'Reader lists the versions under the prefix',
    principal: 'reader',
    action: 's3:ListBucketVersions',
    resource: 'bucket',
    context: { ...TLS, 's3:prefix': '{prefix}' },
    expected: 'Allowed',
    decidedBy: 'ListRecordings',
  },
  {
    id: 'reader-kms-through-s3',
    description: 'Reader decrypts through S3',
    principal: 'reader',
    action: 'kms:Decrypt',
    resource: 'archive-key',
    context: VIA_S3,
    expected: 'Allowed',
    decidedBy: 'DecryptThroughS3',
  },
  {
    id: 'reader-get-outside-prefix',
    description: 'Reader reads outside the prefix',
    principal: 'reader',
    action: 's3:GetObject',
    resource: 'object-outside-prefix',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'reader-delete-version',
    description: 'Reader deletes a recording version',
    principal: 'reader',
    action: 's3:DeleteObjectVersion',
    resource: 'recording-object',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'reader-put-legal-hold',
    description: 'Reader places a legal hold',
    principal: 'reader',
    action: 's3:PutObjectLegalHold',
    resource: 'recording-object',
    context: TLS,
    expected: 'ExplicitlyDenied',
    decidedBy: 'DenyLegalHoldExceptHoldRoles',
  },
  {
    id: 'reader-put-retention',
    description: 'Reader changes a retention',
    principal: 'reader',
    action: 's3:PutObjectRetention',
    resource: 'recording-object',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  // The S3 Batch Operations role of bulk holds, restores and re-tags (npm run archive): its jobs only.
  {
    id: 'batch-put-legal-hold',
    description: 'Batch Operations role places a legal hold (bulk hold)',
    principal: 'batch-operations',
    action: 's3:PutObjectLegalHold',
    resource: 'recording-object',
    context: TLS,
    expected: 'Allowed',
    decidedBy: 'HoldAndRestoreRecordings',
  },
  {
    id: 'batch-get-recording',
    description: 'Batch Operations role reads a recording',
    principal: 'batch-operations',
    action: 's3:GetObject',
    resource: 'recording-object',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'batch-replace-tags',
    description: 'Batch Operations role replaces a tag set (S3PutObjectTagging, G1)',
    principal: 'batch-operations',
    action: 's3:PutObjectTagging',
    resource: 'recording-object',
    context: TLS,
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
  {
    id: 'batch-invoke-retag',
    description: 'Batch Operations role invokes the re-tag function (bulk retag)',
    principal: 'batch-operations',
    action: 'lambda:InvokeFunction',
    resource: 'retag-function',
    context: {},
    expected: 'Allowed',
    decidedBy: 'InvokeRetagFunction',
  },
  {
    id: 'batch-invoke-other-function',
    description: 'Batch Operations role invokes another function',
    principal: 'batch-operations',
    action: 'lambda:InvokeFunction',
    resource: 'other-function',
    context: {},
    expected: 'ImplicitlyDenied',
    decidedBy: NO_ALLOW,
  },
];
