import { z } from 'zod';
import { scheduleProblem } from './schedule';

/** An EventBridge schedule expression, checked here so a typo names its field, not a CloudFormation rule. */
const schedule = z.string().superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `'${value}' ${problem}` });
});

/** Media types a Genesys media retention policy holds one policy for (`mediaPolicies.<type>Policy`). */
export const EXPORT_MEDIA_TYPES = ['call', 'chat', 'email', 'message'] as const;

/** A Genesys entity the export policy's conditions name: its id, and its name as Genesys shows it. */
const entityRef = z.object({ id: z.string().min(1), name: z.string().min(1) }).strict();

/**
 * The media retention policy the app owns in Genesys (`recording-archive-<env>`): it exports every
 * matching recording to the archive and deletes Genesys's native copy after
 * `genesys.platformRetentionDays`, the window the S3 expiration is held to (T4).
 */
export const ExportPolicySchema = z
  .object({
    /**
     * Let Genesys delete its native copy after `genesys.platformRetentionDays`; false keeps it until
     * someone deletes it in Genesys.
     */
    deleteNativeCopy: z.boolean().default(true),
    /** Export screen recordings too (Genesys's own default is true; the archive's is false). */
    shouldExportScreenRecordings: z.boolean().default(false),
    /** Media types the policy covers. */
    mediaTypes: z.array(z.enum(EXPORT_MEDIA_TYPES)).min(1, 'needs at least one media type').default(['call']),
    /** Narrows the policy; every condition left out matches everything. */
    conditions: z
      .object({
        /** Only conversations in these queues. */
        queues: z.array(entityRef).default([]),
        /** Only calls in these directions (call media only). */
        directions: z.array(z.enum(['INBOUND', 'OUTBOUND'])).default([]),
        /** Only conversations wrapped up with these codes. */
        wrapupCodes: z.array(entityRef).default([]),
      })
      .strict()
      .default({ queues: [], directions: [], wrapupCodes: [] }),
  })
  .strict();

/** The Genesys integration stack: connection registration, CIDR drift check, pointer-integrity check. */
export const GenesysIntegrationSchema = z
  .object({
    /** Secrets Manager secret (name) holding `{ "clientId": ..., "clientSecret": ... }` of the Genesys OAuth client. */
    oauthSecretName: z.string().min(1),
    /** Allow the recordings prefix of a registered connection to change (E3); set only for a planned migration. */
    allowPrefixMigration: z.boolean().default(false),
    /** How often the CIDR drift check compares the live Genesys feed with the committed list. */
    ipRangesDriftSchedule: schedule.default('rate(1 day)'),
    /** Weekly pointer-integrity check. */
    integrityCheck: z
      .object({
        schedule: schedule.default('cron(0 3 ? * SUN *)'),
        /** Days back that Genesys's `exportedDate` is checked against the archive. */
        genesysLookbackDays: z.number().int().positive().default(7),
      })
      .strict()
      .default({ schedule: 'cron(0 3 ? * SUN *)', genesysLookbackDays: 7 }),
    /** The media retention policy that makes Genesys export recordings into the archive. */
    exportPolicy: ExportPolicySchema.default({
      deleteNativeCopy: true,
      shouldExportScreenRecordings: false,
      mediaTypes: ['call'],
      conditions: { queues: [], directions: [], wrapupCodes: [] },
    }),
    /** Hours without a new object under the recordings prefix before the "archive is silent" alarm fires. */
    silenceAlarmHours: z.number().int().min(1).max(168).default(6),
    /** Hours a Genesys recording may go without `exportedDate` before the integrity check reports NotExported. */
    exportGraceHours: z.number().int().positive().default(24),
  })
  .strict();
