import * as z from '../shared/zod';
import { ExportCoverage } from './not-exported';

const positive = z.coerce.number().check(z.int(), z.positive());

const SettingsSchema = z.object({
  ENVIRONMENT_NAME: z.string().check(z.minLength(1)),
  ARCHIVE_BUCKET: z.string().check(z.minLength(3)),
  ARCHIVE_KEY_ARN: z.string().check(z.startsWith('arn:')),
  RECORDINGS_PREFIX: z.string().check(z.endsWith('/')),
  KEY_LAYOUT: z.string().check(z.includes('{dd}')),
  GENESYS_ORG_ID: z.string().check(z.minLength(1)),
  PLATFORM_RETENTION_DAYS: positive,
  HORIZON_DAYS: positive,
  LOOKBACK_DAYS: positive,
  RETENTION_TAG_KEY: z.string().check(z.minLength(1)),
  RETENTION_CLASSES: z.string().check(z.minLength(1)),
  REPORT_PREFIX: z.string().check(z.endsWith('/')),
  ALARM_TOPIC_ARN: z.string().check(z.startsWith('arn:')),
  CONTINUATION_TOPIC_ARN: z.string().check(z.startsWith('arn:')),
  CONNECT_BUCKET: z.optional(z.string().check(z.minLength(3))),
  CONNECT_PREFIX: z.optional(z.string().check(z.endsWith('/'))),
  GENESYS_REGION: z.optional(z.string().check(z.minLength(1))),
  GENESYS_OAUTH_SECRET_NAME: z.optional(z.string().check(z.minLength(1))),
  CONCURRENCY: z._default(positive, 16),
  SAFETY_SECONDS: z._default(positive, 120),
  EXAMPLES_PER_TYPE: z._default(positive, 1000),
  EXPORT_GRACE_HOURS: z._default(positive, 24),
  // The export policy's conditions, comma-separated (empty: no such condition).
  EXPORT_MEDIA_TYPES: z._default(z.string().check(z.minLength(1)), 'call'),
  EXPORT_QUEUE_IDS: z._default(z.string(), ''),
  EXPORT_DIRECTIONS: z._default(z.string(), ''),
  EXPORT_WRAPUP_CODE_IDS: z._default(z.string(), ''),
  // JSON: every copy whose over-retention is measured (lib/retention/copies.ts builds it).
  OVER_RETENTION: z.optional(z.string()),
});

const ExpirationRuleSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  prefix: z.string(),
  tags: z._default(z.record(z.string(), z.string()), {}),
  days: z.number().check(z.int(), z.positive()),
});
const MeasuredCopySchema = z.strictObject({
  copy: z.enum(['archive', 'replica', 'connect-bucket']),
  bucket: z.string().check(z.minLength(3)),
  region: z.optional(z.string().check(z.minLength(1))),
  noncurrentDays: z.number().check(z.int(), z.positive()),
  rules: z.array(ExpirationRuleSchema),
  list: z.optional(
    z.union([
      z.strictObject({ layout: z.literal('genesys') }),
      z.strictObject({ layout: z.literal('connect'), prefix: z.string().check(z.endsWith('/')) }),
    ]),
  ),
});
const OverRetentionSchema = z.strictObject({ copies: z.array(MeasuredCopySchema).check(z.minLength(1)) });

/** One copy whose over-retention is measured: its bucket, region, rules and how it is listed. */
export type MeasuredCopySettings = z.infer<typeof MeasuredCopySchema>;

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** Everything the pointer-integrity function reads from its environment. */
export interface IntegritySettings {
  /** Environment name: the `Environment` dimension of every metric. */
  readonly envName: string;
  readonly archiveBucket: string;
  readonly archiveKeyArn: string;
  readonly recordingsPrefix: string;
  readonly keyLayout: string;
  readonly orgId: string;
  readonly platformRetentionDays: number;
  /** Days of date partitions listed back from the run's start (the retention window). */
  readonly horizonDays: number;
  readonly lookbackDays: number;
  readonly retentionTagKey: string;
  readonly retentionClasses: string[];
  readonly reportPrefix: string;
  readonly alarmTopicArn: string;
  readonly continuationTopicArn: string;
  readonly connect?: { readonly bucket: string; readonly prefix: string };
  /** The Genesys organization's region and OAuth secret; without them exports are not checked. */
  readonly genesys?: { readonly region: string; readonly oauthSecretName: string };
  readonly concurrency: number;
  readonly safetyMs: number;
  readonly examplesPerType: number;
  /** Hours a recording may go without `exportedDate` before it is NotExported. */
  readonly exportGraceHours: number;
  /** The export policy's conditions: which conversations' recordings must be exported. */
  readonly exportCoverage: ExportCoverage;
  /** Copies whose over-retention is measured (empty: not measured). */
  readonly measuredCopies: readonly MeasuredCopySettings[];
}

/** Parses the function's environment; the first bad variable is named in one sentence. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): IntegritySettings {
  const parsed = SettingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`The environment variable ${issue.path.join('.')} is missing or invalid (${issue.message}).`);
  }
  const e = parsed.data;
  if ((e.CONNECT_BUCKET === undefined) !== (e.CONNECT_PREFIX === undefined)) {
    throw new Error('The environment variables CONNECT_BUCKET and CONNECT_PREFIX must be set together.');
  }
  if ((e.GENESYS_REGION === undefined) !== (e.GENESYS_OAUTH_SECRET_NAME === undefined)) {
    throw new Error('The environment variables GENESYS_REGION and GENESYS_OAUTH_SECRET_NAME must be set together.');
  }
  let measuredCopies: MeasuredCopySettings[] = [];
  if (e.OVER_RETENTION !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(e.OVER_RETENTION);
    } catch {
      json = undefined;
    }
    const copies = OverRetentionSchema.safeParse(json);
    if (!copies.success) {
      const issue = copies.error?.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new Error(
        `The environment variable OVER_RETENTION is not the JSON the stack writes${where} (${issue?.message ?? 'not JSON'}).`,
      );
    }
    measuredCopies = copies.data.copies;
  }
  return {
    envName: e.ENVIRONMENT_NAME,
    archiveBucket: e.ARCHIVE_BUCKET,
    archiveKeyArn: e.ARCHIVE_KEY_ARN,
    recordingsPrefix: e.RECORDINGS_PREFIX,
    keyLayout: e.KEY_LAYOUT,
    orgId: e.GENESYS_ORG_ID,
    platformRetentionDays: e.PLATFORM_RETENTION_DAYS,
    horizonDays: e.HORIZON_DAYS,
    lookbackDays: e.LOOKBACK_DAYS,
    retentionTagKey: e.RETENTION_TAG_KEY,
    retentionClasses: list(e.RETENTION_CLASSES),
    reportPrefix: e.REPORT_PREFIX,
    alarmTopicArn: e.ALARM_TOPIC_ARN,
    continuationTopicArn: e.CONTINUATION_TOPIC_ARN,
    connect: e.CONNECT_BUCKET && e.CONNECT_PREFIX ? { bucket: e.CONNECT_BUCKET, prefix: e.CONNECT_PREFIX } : undefined,
    genesys:
      e.GENESYS_REGION && e.GENESYS_OAUTH_SECRET_NAME
        ? { region: e.GENESYS_REGION, oauthSecretName: e.GENESYS_OAUTH_SECRET_NAME }
        : undefined,
    concurrency: e.CONCURRENCY,
    safetyMs: e.SAFETY_SECONDS * 1000,
    examplesPerType: e.EXAMPLES_PER_TYPE,
    exportGraceHours: e.EXPORT_GRACE_HOURS,
    exportCoverage: {
      mediaTypes: list(e.EXPORT_MEDIA_TYPES),
      queueIds: list(e.EXPORT_QUEUE_IDS),
      directions: list(e.EXPORT_DIRECTIONS),
      wrapupCodeIds: list(e.EXPORT_WRAPUP_CODE_IDS),
    },
    measuredCopies,
  };
}
