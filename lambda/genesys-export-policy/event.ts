import * as z from '../shared/zod';

const flag = z.enum(['true', 'false']);
const entity = z.looseObject({ Id: z.string().check(z.minLength(1)), Name: z.string().check(z.minLength(1)) });

/** The export policy resource's properties; CloudFormation passes every scalar as a string. */
export const ExportPolicyPropertiesSchema = z.looseObject({
  /** Name of the policy in Genesys (`recording-archive-<env>`); finds it again when a Create is retried. */
  PolicyName: z.string().check(z.minLength(1)),
  /** The S3 bulk actions integration that receives the exports (the connection's physical id). */
  IntegrationId: z.string().check(z.minLength(1)),
  /** Whether Genesys deletes its native copy after DeleteRetentionDays. */
  DeleteNativeCopy: flag,
  /** `genesys.platformRetentionDays`: the window T4 holds the S3 expiration to. */
  DeleteRetentionDays: z.string().check(z.regex(/^\d+$/, 'must be a whole number of days')),
  ShouldExportScreenRecordings: flag,
  MediaTypes: z.array(z.enum(['call', 'chat', 'email', 'message'])).check(z.minLength(1)),
  Queues: z._default(z.array(entity), []),
  Directions: z._default(z.array(z.enum(['INBOUND', 'OUTBOUND'])), []),
  WrapupCodes: z._default(z.array(entity), []),
  OAuthSecretName: z.string().check(z.minLength(1)),
  LoginBaseUrl: z.url(),
  ApiBaseUrl: z.url(),
});
export type ExportPolicyProperties = z.infer<typeof ExportPolicyPropertiesSchema>;

const common = { ResourceProperties: ExportPolicyPropertiesSchema };

/** The onEvent request of the provider framework. */
export const ExportPolicyEventSchema = z.discriminatedUnion('RequestType', [
  z.looseObject({ RequestType: z.literal('Create'), ...common }),
  z.looseObject({ RequestType: z.literal('Update'), PhysicalResourceId: z.string(), ...common }),
  z.looseObject({ RequestType: z.literal('Delete'), PhysicalResourceId: z.string(), ...common }),
]);
export type ExportPolicyEvent = z.infer<typeof ExportPolicyEventSchema>;
