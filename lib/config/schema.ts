import { z } from 'zod';
import { ConnectSchema } from './connect-schema';
import { CostAllocationSchema } from './cost-allocation-schema';
import { GenesysIntegrationSchema } from './genesys-integration-schema';
import { AWS_REGIONS } from './aws-regions';
import { COMPLIANCE_PRESETS, GENESYS_AWS_ACCOUNT_ID, GENESYS_EXPORT_LAYOUT, GENESYS_REGION_DOMAINS } from './presets';
import { closest } from './suggest';
import { OPERATIONS_DEFAULTS, OperationsSchema } from './operations-schema';

const days = z.number().int().positive();
const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
/** An AWS region name from the committed list (lib/config/aws-regions.ts). */
const awsRegion = z.string().refine((v) => AWS_REGIONS.has(v), {
  error: (issue) => {
    const guess = closest(String(issue.input), AWS_REGIONS);
    return `'${String(issue.input)}' is not an AWS region${guess ? `; did you mean '${guess}'?` : ' (lib/config/aws-regions.ts lists them)'}`;
  },
});

/** An AWS region where Genesys Cloud hosts organizations (lib/config/presets.ts). */
const genesysRegion = z.string().refine((v) => v in GENESYS_REGION_DOMAINS, {
  error: (issue) => {
    const value = String(issue.input);
    const regions = Object.keys(GENESYS_REGION_DOMAINS);
    // A real AWS region is no typo, so it gets the list rather than a near neighbour.
    const guess = AWS_REGIONS.has(value) ? undefined : closest(value, regions);
    if (guess) return `'${value}' is not a Genesys Cloud region; did you mean '${guess}'?`;
    return `'${value}' is not ${AWS_REGIONS.has(value) ? 'a region Genesys Cloud hosts organizations in' : 'an AWS region'}; use the AWS region of your Genesys organization, one of ${regions.join(', ')}`;
  },
});

/** IPv4 or IPv6 CIDR block. */
const cidr = z
  .string()
  .refine(
    (v) =>
      /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(\d|[12]\d|3[0-2])$/.test(v) ||
      /^[0-9a-fA-F:]+\/(\d|[1-9]\d|1[01]\d|12[0-8])$/.test(v),
    'must be a CIDR block such as 203.0.113.0/24',
  )
  .refine((v) => !/\/0$/.test(v), {
    error: (issue) =>
      `${String(issue.input)} allows every address, so the CIDR restriction would restrict nothing; list the Genesys ranges (npm run genesys:ip-ranges -- --env NAME)`,
  });

/** The committed list of Genesys CIDR ranges (one JSON file per environment, refreshed by a script). */
export const GenesysCidrListSchema = z
  .object({
    /** Where the list came from, so reviewers know whether it is a placeholder. */
    source: z.string(),
    /** Genesys `ipranges` services the list keeps. */
    services: z.array(z.string()),
    /** Genesys region the ranges were fetched for. */
    region: z.string(),
    /** When the list was last fetched (ISO 8601), or null for a hand-written list. */
    fetchedAt: z.string().nullable(),
    /**
     * Marks a never-fetched list of documentation ranges as an example, so that an example
     * environment synthesizes outside `sample` (its Genesys writes are all denied); the refresh drops it.
     */
    example: z.boolean().optional(),
    cidrs: z.array(cidr).min(1, 'needs at least one CIDR block'),
  })
  .strict();

export const EnvironmentConfigSchema = z
  .object({
    /** AWS account the stacks deploy to. */
    account: accountId,
    /** AWS region of the archive bucket. */
    region: awsRegion,
    /** Retention window: a preset, explicit days, or both (explicit days may only lengthen a preset). */
    compliance: z
      .object({
        preset: z.enum(Object.keys(COMPLIANCE_PRESETS) as [keyof typeof COMPLIANCE_PRESETS]).optional(),
        retentionDays: days.optional(),
      })
      .strict(),
    /** Object Lock default retention applied to every new object version. */
    objectLock: z
      .object({
        mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
        defaultRetentionDays: days,
      })
      .strict(),
    /** Lifecycle transitions and cleanup, in days after creation. */
    lifecycle: z
      .object({
        standardIaDays: days.default(30),
        glacierDays: days.default(90),
        deepArchiveDays: days.default(180),
        // Not a plain `days`: T1 needs its own message when someone tries to turn it off.
        noncurrentVersionExpirationDays: z.unknown().default(1),
        abortIncompleteMultipartUploadDays: days.default(7),
      })
      .strict()
      .default({
        standardIaDays: 30,
        glacierDays: 90,
        deepArchiveDays: 180,
        noncurrentVersionExpirationDays: 1,
        abortIncompleteMultipartUploadDays: 7,
      }),
    /** Key prefix that holds every recording, ending with `/`. */
    recordingsPrefix: z
      .string()
      .regex(
        /^([A-Za-z0-9!_.'()=-]+\/)+$/,
        "must be path segments of letters, digits and !_.'()=- ending with '/' such as recordings/",
      )
      .default('recordings/'),
    /** Key layout under the prefix; must be date-partitioned (T3). */
    recordingKeyLayout: z.string().default(GENESYS_EXPORT_LAYOUT),
    /** Days to keep S3 server access logs. */
    accessLogRetentionDays: days.default(365),
    genesys: z
      .object({
        /** Genesys Cloud organization id; also the `sts:ExternalId` of the access role. */
        organizationId: z.uuid('must be the Genesys organization id (a UUID)'),
        /** AWS account Genesys writes from. */
        trustedAccountId: accountId.default(GENESYS_AWS_ACCOUNT_ID),
        /** AWS region of the Genesys organization. */
        region: genesysRegion,
        /** Days Genesys itself keeps recordings (its retention policy). */
        platformRetentionDays: days,
        /** DUAL keeps Genesys's native copy; nothing else is supported (T2). */
        storageMode: z.string().default('DUAL'),
        /** CIDR ranges Genesys writes from, committed per environment. */
        allowedCidrs: GenesysCidrListSchema,
      })
      .strict(),
    /**
     * Cross-region replication of the archive. By default the app owns the replica (stack
     * `RecordingArchive-<env>-Replica` in `region`); with `existingBucketArn` it replicates into
     * that bucket and writes the archive's lifecycle rules into it (merged, never replaced).
     * @default - no replica
     */
    replication: z
      .object({
        /** Region of the replica. */
        region: awsRegion,
        /**
         * An existing replica bucket (versioned, Object Lock, in `region`, this account) instead of the app-owned one.
         * @default - the app-owned replica stack
         */
        existingBucketArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}$/, 'must be an S3 bucket ARN')
          .optional(),
        /**
         * Full ARN of the KMS key that encrypts replicas in the existing bucket (required with existingBucketArn).
         * @default - the app-owned replica key
         */
        existingKmsKeyArn: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Connect retention classes: tag value -> days. */
    retention: z
      .object({
        tagKey: z
          .string()
          .regex(/^[A-Za-z0-9_.:/=+@-]{1,128}$/)
          .default('retention'),
        classes: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'class names are letters, digits, _ . -'), days),
        defaultClass: z.string(),
      })
      .strict(),
    /**
     * Roles (names, in this account) that alone may bypass governance retention or schedule the
     * archive key's deletion; every other principal is denied both.
     */
    breakGlassRoleNames: z
      .array(z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name (no path, no ARN)'))
      .default([]),
    /** Who is told about alarms and integrity findings. */
    notifications: z
      .object({ emails: z.array(z.email('must be an email address')).default([]) })
      .strict()
      .default({ emails: [] }),
    /**
     * Cost allocation tags (`costCenter`, `client`) added to every resource.
     * @default - only the `application` and `environment` tags
     */
    costAllocation: CostAllocationSchema.optional(),
    /**
     * The Genesys integration stack.
     * @default - not deployed
     */
    genesysIntegration: GenesysIntegrationSchema.optional(),
    /**
     * The Connect retention stack.
     * @default - not deployed
     */
    connect: ConnectSchema.optional(),
    /** Day-2 operations: legal-hold roles, the reader role, Athena search, Batch Operations manifests. */
    operations: OperationsSchema.default({ ...OPERATIONS_DEFAULTS, legalHoldRoleNames: [] }),
  })
  .strict();

/** Every field optional, recursively; arrays are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What an environment file (or the shared base) sets: the base merged with the environment's overrides must be a whole {@link EnvironmentConfigInput}. */
export type EnvironmentOverrides = DeepPartial<EnvironmentConfigInput>;

/** An environment as committed in lib/config/environments (before defaults are applied). */
export type EnvironmentConfigInput = z.input<typeof EnvironmentConfigSchema>;
type ParsedEnvironmentConfig = z.output<typeof EnvironmentConfigSchema>;

/** A validated environment: every default applied and every trap refused. */
export interface ArchiveConfig extends Omit<ParsedEnvironmentConfig, 'lifecycle' | 'compliance'> {
  /** Environment name (`-c env=NAME`). */
  readonly envName: string;
  readonly compliance: {
    readonly preset?: keyof typeof COMPLIANCE_PRESETS;
    /** Days every recording is kept: the prefix-wide expiration. */
    readonly retentionDays: number;
  };
  readonly lifecycle: {
    readonly standardIaDays: number;
    readonly glacierDays: number;
    readonly deepArchiveDays: number;
    readonly noncurrentVersionExpirationDays: number;
    readonly abortIncompleteMultipartUploadDays: number;
  };
  /** Termination protection: on for every environment except `sample`. */
  readonly terminationProtection: boolean;
}
