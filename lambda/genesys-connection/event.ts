import * as z from '../shared/zod';

/** The custom resource's properties; CloudFormation passes every value as a string. */
export const ConnectionPropertiesSchema = z.looseObject({
  /** Name of the integration in Genesys; also finds it again when a Create is retried. */
  IntegrationName: z.string().check(z.minLength(1)),
  /** Name of the role-ARN credential in Genesys. */
  CredentialName: z.string().check(z.minLength(1)),
  RoleArn: z.string().check(z.minLength(1)),
  BucketName: z.string().check(z.minLength(1)),
  BucketRegion: z.string().check(z.minLength(1)),
  KmsKeyArn: z.string().check(z.minLength(1)),
  Prefix: z.string().check(z.minLength(1)),
  /** Account the archive key must live in. */
  Account: z.string().check(z.regex(/^\d{12}$/)),
  /** Secrets Manager secret holding the OAuth client (its name; the value never leaves the function). */
  OAuthSecretName: z.string().check(z.minLength(1)),
  LoginBaseUrl: z.url(),
  ApiBaseUrl: z.url(),
  AllowPrefixMigration: z.enum(['true', 'false']),
});
export type ConnectionProperties = z.infer<typeof ConnectionPropertiesSchema>;

const common = { ResourceProperties: ConnectionPropertiesSchema };

/** The onEvent request of the provider framework (CloudFormation's event without the response URL). */
export const OnEventSchema = z.discriminatedUnion('RequestType', [
  z.looseObject({ RequestType: z.literal('Create'), ...common }),
  z.looseObject({
    RequestType: z.literal('Update'),
    PhysicalResourceId: z.string(),
    OldResourceProperties: z.looseObject({
      Prefix: z.optional(z.string()),
      AllowPrefixMigration: z.optional(z.string()),
    }),
    ...common,
  }),
  z.looseObject({ RequestType: z.literal('Delete'), PhysicalResourceId: z.string(), ...common }),
]);
export type OnEvent = z.infer<typeof OnEventSchema>;

/** The isComplete request: the onEvent request plus onEvent's answer (so always a physical id). */
export const IsCompleteSchema = z.looseObject({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  PhysicalResourceId: z.string(),
  ResourceProperties: ConnectionPropertiesSchema,
});
export type IsCompleteEvent = z.infer<typeof IsCompleteSchema>;
