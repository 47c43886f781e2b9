import { z } from 'zod';
import { scheduleProblem } from './schedule';

/** An EventBridge schedule expression, checked here so a typo names its field, not a CloudFormation rule. */
const schedule = z.string().superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `'${value}' ${problem}` });
});

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
  })
  .strict();
