import { GENESYS_REGION_DOMAINS } from '../../../lib/config/presets';

/**
 * Every Genesys Cloud wire name this app relies on, in one place. Sources:
 * - docs/design.md: hosts, OAuth grant, Integrations API paths, integration type id, ipranges.
 * - public Genesys API model (platform SDK docs): field names of Integration, IntegrationConfiguration,
 *   IntegrationType.credentials, Credential, IntegrationStatusInfo.
 * - public blueprint pattern (Lambda data actions): the `amazonWebServicesARN` credential with field `ARN`.
 * - ASSUMED, checked at runtime against the type's config schema before any write: the property names.
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
  recordingMetadata: (conversationId: string) => `/api/v2/conversations/${encodeURIComponent(conversationId)}/recordingmetadata`,
} as const;

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
