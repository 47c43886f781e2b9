import * as z from 'zod';

/** The custom resource's properties; CloudFormation passes every value as a string. */
export const ConnectionPropertiesSchema = z.looseObject({
  /** Name of the integration in Genesys; also finds it again when a Create is retried. */
  IntegrationName: z.string().min(1),
  /** Name of the role-ARN credential in Genesys. */
  CredentialName: z.string().min(1),
  RoleArn: z.string().min(1),
  BucketName: z.string().min(1),
  BucketRegion: z.string().min(1),
  KmsKeyArn: z.string().min(1),
  Prefix: z.string().min(1),
  /** Account the archive key must live in. */
  Account: z.string().regex(/^\d{12}$/),
  /** Secrets Manager secret holding the OAuth client (its name; the value never leaves the function). */
  OAuthSecretName: z.string().min(1),
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
      Prefix: z.string().optional(),
      AllowPrefixMigration: z.string().optional(),
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
