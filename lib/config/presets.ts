/** Compliance presets: the retention window each regulation asks for and the Object Lock mode it needs. */
export const COMPLIANCE_PRESETS = {
  /** PCI-DSS: call recordings with cardholder data kept for two years. */
  'pci-dss': { retentionDays: 730, objectLockMode: 'GOVERNANCE' },
  /** HIPAA: six years of documentation retention. */
  hipaa: { retentionDays: 2190, objectLockMode: 'GOVERNANCE' },
  /** SEC 17a-4(f): seven years, non-rewriteable and non-erasable, so Object Lock COMPLIANCE. */
  'sec-17a-4': { retentionDays: 2555, objectLockMode: 'COMPLIANCE' },
} as const;

export type CompliancePreset = keyof typeof COMPLIANCE_PRESETS;

/** AWS account that Genesys Cloud uses to write into customer buckets (core and satellite regions). */
export const GENESYS_AWS_ACCOUNT_ID = '765628985471';

/** Genesys Cloud's export layout; `{prefix}` is the configured recordings prefix. */
export const GENESYS_EXPORT_LAYOUT =
  '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';

/** Genesys Cloud domain per AWS region of the Genesys organization. */
export const GENESYS_REGION_DOMAINS: Readonly<Record<string, string>> = {
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
  'ap-south-1': 'aps1.pure.cloud',
  'ap-southeast-1': 'apse1.pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'mx-central-1': 'mxc1.pure.cloud',
};

/** S3's own lifecycle limits (checked before CloudFormation would reject them). */
export const S3_LIMITS = {
  /** Objects stay at least 30 days in STANDARD before STANDARD_IA. */
  minDaysBeforeStandardIa: 30,
  /** Objects stay at least 30 days in STANDARD_IA before a later transition. */
  minDaysInStandardIa: 30,
} as const;
