import type { Models } from 'purecloud-platform-client-v2';
import { GENESYS_REGION_DOMAINS } from '../../../lib/config/presets';

/**
 * Every Genesys Cloud wire name this app relies on, in one place. Sources:
 * - docs/design.md: hosts, OAuth grant, Integrations API paths, integration type id, ipranges.
 * - public Genesys API model (platform SDK docs): field names of Integration, IntegrationConfiguration,
 *   IntegrationType.credentials, Credential, IntegrationStatusInfo.
 * - public blueprint pattern (Lambda data actions): the `amazonWebServicesARN` credential with field `ARN`.
 * - ASSUMED, checked at runtime against the type's config schema before any write: the property names.
 * - Genesys's JS SDK `purecloud-platform-client-v2` (pinned devDependency, `import type` only, so
 *   nothing of it is bundled): the model types of every request and response body (types below,
 *   and `modelSchema` in ./sdk-model.ts for the response schemas), so `tsc` checks the field names.
 * - docs/design.md "Genesys: exports, retention policies, bulk jobs": policy and job paths, job states,
 *   the two-job limit, `PUT {state: PROCESSING}` by the creating client.
 */

/** Integration type of the AWS S3 recording bulk actions integration (docs/design.md). */
export const S3_BULK_ACTIONS_TYPE_ID = 'aws-s3-recording-bulk-actions-integration';

/** OAuth client-credentials grant (docs/design.md). */
export const OAUTH = {
  tokenPath: '/oauth/token',
  grantType: 'client_credentials',
} as const;

/** API paths (docs/design.md; list and credential-type paths from the public API model). */
export const PATHS = {
  integrations: '/api/v2/integrations',
  integration: (id: string) => `/api/v2/integrations/${encodeURIComponent(id)}`,
  integrationConfig: (id: string) => `/api/v2/integrations/${encodeURIComponent(id)}/config/current`,
  integrationType: (typeId: string) => `/api/v2/integrations/types/${encodeURIComponent(typeId)}`,
  configSchema: (typeId: string, kind: ConfigSchemaKind) =>
    `/api/v2/integrations/types/${encodeURIComponent(typeId)}/configschemas/${kind}`,
  credentials: '/api/v2/integrations/credentials',
  credential: (id: string) => `/api/v2/integrations/credentials/${encodeURIComponent(id)}`,
  ipRanges: '/api/v2/ipranges',
} as const;

/**
 * Reads of the pointer-integrity check (docs/design.md: recordingmetadata and its fields; the
 * analytics conversation details query from the public API model), and the fields it reads.
 */
export const RECORDING_PATHS = {
  conversationDetailsQuery: '/api/v2/analytics/conversations/details/query',
  recordingMetadata: (conversationId: string) =>
    `/api/v2/conversations/${encodeURIComponent(conversationId)}/recordingmetadata`,
} as const;

/** Media retention policies and recording bulk jobs (docs/design.md; SDK RecordingApi). */
export const RECORDING_POLICY_PATHS = {
  policies: '/api/v2/recording/mediaretentionpolicies',
  policy: (id: string) => `/api/v2/recording/mediaretentionpolicies/${encodeURIComponent(id)}`,
  jobs: '/api/v2/recording/jobs',
  job: (id: string) => `/api/v2/recording/jobs/${encodeURIComponent(id)}`,
  failedRecordings: (id: string) => `/api/v2/recording/jobs/${encodeURIComponent(id)}/failedrecordings`,
} as const;

/**
 * Query parameters of `GET /api/v2/recording/jobs` (SDK `RecordingApi.getRecordingJobsOptions`):
 * `showOnlyMyJobs` lists the calling client's jobs, the only ones it may execute.
 */
export const RECORDING_JOBS_QUERY = { showOnlyMyJobs: 'showOnlyMyJobs', jobType: 'jobType', state: 'state' } as const;

/** Query parameter of `GET /api/v2/recording/mediaretentionpolicies` (SDK `RecordingApi.getRecordingMediaretentionpoliciesOptions`). */
export const RECORDING_POLICIES_QUERY = { name: 'name' } as const;

/** `RecordingJobsQuery.action` of an export (docs/design.md; SDK model RecordingJobsQuery). */
export const JOB_ACTION_EXPORT = 'EXPORT';

/** `RecordingJob.state` values (docs/design.md). */
export const JOB_STATE = {
  pending: 'PENDING',
  ready: 'READY',
  processing: 'PROCESSING',
  fulfilled: 'FULFILLED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
} as const;
export type JobState = (typeof JOB_STATE)[keyof typeof JOB_STATE];

/** Jobs PENDING or PROCESSING that one org may hold at once (docs/design.md). */
export const MAX_ACTIVE_JOBS_PER_ORG = 2;

/** `mediaPolicies` key of each media type a policy covers (SDK model MediaPolicies). */
export const MEDIA_POLICY_KEYS = {
  call: 'callPolicy',
  chat: 'chatPolicy',
  email: 'emailPolicy',
  message: 'messagePolicy',
} as const satisfies Record<string, keyof Models.MediaPolicies>;

/** `conversationQuery.conversationFilters` predicate dimension of one conversation (SDK ConversationDetailQueryPredicate; value ASSUMED from the analytics API). */
export const CONVERSATION_ID_DIMENSION = 'conversationId';

/** Bodies the app sends, typed by the SDK's models. */
export type PolicyBody = Models.PolicyCreate;
export type RecordingJobBody = Models.RecordingJobsQuery;
export type ExecuteJobBody = Models.ExecuteRecordingJobsQuery;
export type CredentialBody = Models.Credential;
export type CreateIntegrationBody = Models.CreateIntegrationRequest;
export type IntendedStateBody = Pick<Models.Integration, 'intendedState'>;
export type ConversationQueryBody = Models.ConversationQuery;
export type { Models };

/** The two config schemas of an integration type (docs/design.md). */
export type ConfigSchemaKind = 'properties' | 'advanced';

/** `intendedState` values (docs/design.md: ENABLED; public API model: DISABLED). */
export const INTENDED_STATE = { enabled: 'ENABLED', disabled: 'DISABLED' } as const;

/** `reportedState.code` values (public API model, IntegrationStatusInfo). */
export const REPORTED_STATE = { active: 'ACTIVE', error: 'ERROR' } as const;

/** The credential that carries the role ARN (public blueprint pattern; accepted types are read from the type at runtime). */
export const ROLE_ARN_CREDENTIAL = { type: 'amazonWebServicesARN', field: 'ARN' } as const;

/**
 * Property names of the S3 bulk actions integration. ASSUMED: Genesys does not document them
 * publicly; the handler checks them against the type's properties schema before any write
 * and names the schema's own fields when they differ, so a mismatch is a one-line fix here.
 */
export const S3_PROPERTY_FIELDS = {
  bucketName: 'bucketName',
  bucketRegion: 'region',
  kmsKeyArn: 'kmsKeyArn',
  prefix: 'prefix',
} as const;

/** Logical properties the app writes; the first two must exist in the schema, the others are written when it has them. */
export type S3PropertyName = keyof typeof S3_PROPERTY_FIELDS;
export const MANDATORY_S3_PROPERTIES: readonly S3PropertyName[] = ['bucketName', 'prefix'];

/** Login and API base URLs of the Genesys organization in an AWS region (region map: lib/config/presets.ts). */
export function genesysBaseUrls(genesysRegion: string): { readonly loginBaseUrl: string; readonly apiBaseUrl: string } {
  const domain = GENESYS_REGION_DOMAINS[genesysRegion];
  if (!domain) {
    throw new Error(
      `Genesys Cloud has no region ${genesysRegion}; use one of ${Object.keys(GENESYS_REGION_DOMAINS).join(', ')}.`,
    );
  }
  return { loginBaseUrl: `https://login.${domain}`, apiBaseUrl: `https://api.${domain}` };
}

/**
 * The Genesys side of a legal hold and the conversation start time that places a call in the
 * export layout. Paths from the JS SDK (RecordingApi putRecordingsDeletionprotection /
 * postRecordingsDeletionprotection, AnalyticsApi getAnalyticsConversationDetails); the 100-id
 * limit from design.md; bodies typed by the SDK's models.
 */
export const RECORDING_HOLD_PATHS = {
  deletionProtection: '/api/v2/recordings/deletionprotection',
  conversationDetails: (conversationId: string) =>
    `/api/v2/analytics/conversations/${encodeURIComponent(conversationId)}/details`,
} as const;
/** Query parameter of the PUT: `true` protects, `false` lifts the protection. */
export const DELETION_PROTECTION_PARAM = 'protect';
/** At most this many conversation ids per deletion-protection call (design.md). */
export const DELETION_PROTECTION_MAX_IDS = 100;
/** Body of both deletion-protection calls. */
export type DeletionProtectionQuery = Models.ConversationDeletionProtectionQuery;
/** Answer of the PUT: the conversations Genesys could not update. */
export type DeletionProtectionResult = Models.ManageDeleteProtectionResult;
/** The fields of a conversation's details this app reads. */
export type ConversationDetails = Pick<
  Models.AnalyticsConversationWithoutAttributes,
  'conversationId' | 'conversationStart' | 'conversationEnd'
>;
