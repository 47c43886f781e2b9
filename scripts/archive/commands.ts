import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  RestoreObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, JobOperation, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { z } from 'zod';
import { NamedQuery, namedQuery, NamedQueryName, NAMED_QUERY_NAMES } from '../../lib/athena/named-queries';
import { ArchiveConfig } from '../../lib/config';
import { BATCH_PREFIX, BATCH_REPORTS_PREFIX } from '../../lib/constructs/batch-operations-role';
import { searchNames } from '../../lib/constructs/recording-search';
import { GenesysApiError, GenesysClient } from '../../lambda/shared/genesys/client';
import {
  ConversationDetails,
  DELETION_PROTECTION_MAX_IDS,
  DELETION_PROTECTION_PARAM,
  DeletionProtectionQuery,
  RECORDING_HOLD_PATHS,
} from '../../lambda/shared/genesys/wire';
import { createLimit } from '../../lambda/shared/limit';
import { RETAG_CLASS_ARGUMENT } from '../../lambda/tag-recordings/batch-retag';
import { createClassLock } from '../../lambda/tag-recordings/class-lock';
import { retagRecording } from '../../lambda/tag-recordings/retag';
import { CliError, CliIo, CommandSpec, OptionSpec, OptionValues, progress, Subcommand, UsageError } from '../lib/cli';
import { failedResultKeys, manifestCsv, ManifestEntry, ReportFailure, reportFailures, ReportManifest } from './batch';
import {
  ConnectLocation,
  connectLocations,
  contactDayPrefix,
  daysAround,
  daysBackFrom,
  parseDay,
} from './connect-keys';
import { deletionDate, RetentionRules } from './deletion-date';
import { HoldLogEntry, holdLogKey, HOLDS_LOG_PREFIX, openHolds } from './holds-log';
import { chunks, genesysConversationPrefix, parseDuration } from './keys';
import {
  ARCHIVED_CLASSES,
  ArchivedClass,
  RESTORE_TIERS,
  RestoreTier,
  restoreEstimate,
  restoreState,
} from './restore-estimate';

/** The clients and clock a command uses; tests pass emulators, mocks and a fake clock. */
export interface ArchiveServices {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly athena: AthenaClient;
  readonly sts: STSClient;
  /** The Genesys client, created when a command first needs it. */
  genesys(): Promise<GenesysClient>;
  /** A presigned GET URL. */
  presign(command: GetObjectCommand, expiresInSeconds: number): Promise<string>;
  /** When the S3 credentials stop working (undefined: long-lived). */
  credentialsExpiration(): Promise<Date | undefined>;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Pause between polls of restores, jobs and queries. */
  readonly pollMs: number;
}

/** Builds the services for one command run. */
export type ServicesFactory = (config: ArchiveConfig, values: OptionValues) => ArchiveServices;

/** Objects above which hold, release and restore run as one S3 Batch Operations job. */
export const DEFAULT_BATCH_THRESHOLD = 1000;
/** Presigned URLs live at most 7 days (SigV4). */
const MAX_PRESIGN_SECONDS = 7 * 86_400;
const CONCURRENCY = 8;

const common: Record<string, OptionSpec> = {
  env: {
    type: 'string',
    required: true,
    placeholder: 'NAME',
    description: 'committed environment (lib/config/environments)',
  },
  bucket: {
    type: 'string',
    required: true,
    placeholder: 'NAME',
    description: 'archive bucket (the RecordingBucketName output)',
  },
  json: { type: 'boolean', description: 'print the result as JSON' },
};
const conversationOptions: Record<string, OptionSpec> = {
  conversation: { type: 'string', multiple: true, placeholder: 'ID', description: 'Genesys conversation id' },
  'conversations-file': { type: 'string', placeholder: 'FILE', description: 'file with one conversation id a line' },
  'start-time': {
    type: 'string',
    placeholder: 'ISO',
    description: 'conversation start (UTC) instead of asking Genesys; one conversation only',
  },
  'base-url': {
    type: 'string',
    placeholder: 'URL',
    description: "Genesys login and API base URL (default: the region's)",
  },
};
const contactOptions: Record<string, OptionSpec> = {
  contact: {
    type: 'string',
    multiple: true,
    placeholder: 'ID',
    description: 'Amazon Connect contact id (its recordings in every Connect location of the environment)',
  },
  'contacts-file': { type: 'string', placeholder: 'FILE', description: 'file with one contact id a line' },
  date: {
    type: 'string',
    placeholder: 'YYYY-MM-DD',
    description:
      "the contact's day: that UTC day folder and its neighbours are listed; without it the day folders are scanned back over the longest retention, newest first (the app keeps no CTR table)",
  },
};
const callOptions: Record<string, OptionSpec> = { ...conversationOptions, ...contactOptions };
const batchOptions: Record<string, OptionSpec> = {
  'batch-threshold': {
    type: 'string',
    placeholder: 'N',
    description: `run as one S3 Batch Operations job above N objects (default ${DEFAULT_BATCH_THRESHOLD})`,
  },
  'batch-role-arn': {
    type: 'string',
    placeholder: 'ARN',
    description: 'role of bulk jobs (the BatchOperationsRoleArn output)',
  },
};

/** One object version of a call. */
interface Version {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
  readonly lastModified: Date;
  readonly size: number;
  readonly noncurrentSince?: Date;
  /** The lifecycle of the location it is in. */
  readonly rules: RetentionRules;
}

/** A run's context: config, services, options, where to write. */
interface Run {
  readonly config: ArchiveConfig;
  readonly services: ArchiveServices;
  readonly values: OptionValues;
  readonly io: CliIo;
  readonly bucket: string;
}

/** The `npm run archive` commands. */
export function archiveCommands(
  factory: ServicesFactory,
  loadEnv: (name: string) => ArchiveConfig,
): Record<string, Subcommand> {
  const command = (spec: CommandSpec, body: (run: Run) => Promise<number | void>): Subcommand => ({
    spec,
    main: async (values, io) => {
      let config: ArchiveConfig;
      try {
        config = loadEnv(values.env as string);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      return body({ config, services: factory(config, values), values, io, bucket: values.bucket as string });
    },
  });

  return {
    find: command(
      {
        usage:
          'npm run archive -- find --env NAME --bucket NAME (--conversation ID [--start-time ISO] | --contact ID [--date YYYY-MM-DD] | --from YYYY-MM-DD --to YYYY-MM-DD [--queue ID] [--agent ID]) [--json]',
        summary:
          'Every object version of a call (or of the calls of a date range): storage class, size, lock, legal hold, tags and the day it will be deleted.',
        options: {
          ...common,
          ...callOptions,
          from: {
            type: 'string',
            placeholder: 'YYYY-MM-DD',
            description: 'first day (UTC) of a range of Genesys conversations, from the Athena sidecar table',
          },
          to: { type: 'string', placeholder: 'YYYY-MM-DD', description: 'last day (UTC) of the range, inclusive' },
          queue: {
            type: 'string',
            placeholder: 'ID',
            description: 'with --from/--to: only calls of this Genesys queue',
          },
          agent: {
            type: 'string',
            placeholder: 'ID',
            description: 'with --from/--to: only calls of this Genesys user (agent)',
          },
        },
        examples: [
          'npm run archive -- find --env prod --bucket archive-bucket --conversation 0d2c1e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
          'npm run archive -- find --env prod --bucket archive-bucket --contact 7b1c2d3e-0000-4000-8000-00000000c0de --date 2026-11-23',
          'npm run archive -- find --env prod --bucket archive-bucket --from 2026-11-01 --to 2026-11-07 --queue QUEUE_ID',
        ],
      },
      find,
    ),
    restore: command(
      {
        usage:
          'npm run archive -- restore --env NAME --bucket NAME (--conversation ID | --contact ID) [--tier Bulk|Standard|Expedited] [--days N] [--wait]',
        summary:
          'Restores the archived (Glacier, Deep Archive) objects of calls for N days; prints time and cost first.',
        options: {
          ...common,
          ...callOptions,
          ...batchOptions,
          tier: {
            type: 'string',
            placeholder: 'TIER',
            description: 'Bulk, Standard or Expedited (Glacier only); default Standard',
          },
          days: { type: 'string', placeholder: 'N', description: 'days the restored copy stays readable (default 7)' },
          wait: { type: 'boolean', description: 'wait until every object is readable' },
        },
      },
      restore,
    ),
    presign: command(
      {
        usage: 'npm run archive -- presign --env NAME --bucket NAME (--conversation ID | --contact ID) [--expires 1h]',
        summary: 'Presigned GET URLs of the current version of every object of a call (at most 7 days).',
        options: {
          ...common,
          ...callOptions,
          expires: {
            type: 'string',
            placeholder: 'DURATION',
            description: 'how long the links work, e.g. 1h, 2d (default 1h, at most 7d)',
          },
        },
      },
      presign,
    ),
    hold: command(
      {
        usage: 'npm run archive -- hold --env NAME --bucket NAME (--conversation ID | --contact ID) --reason TEXT',
        summary:
          'S3 legal hold on every version of every object of the calls, Genesys deletion protection (conversations; Connect has none), one entry in holds/.',
        options: {
          ...common,
          ...callOptions,
          ...batchOptions,
          reason: {
            type: 'string',
            required: true,
            placeholder: 'TEXT',
            description: 'why (case or matter number): written to the holds log',
          },
        },
      },
      (run) => holdOrRelease(run, 'hold'),
    ),
    release: command(
      {
        usage: 'npm run archive -- release --env NAME --bucket NAME (--conversation ID | --contact ID) --reason TEXT',
        summary: 'Lifts the S3 legal hold and the Genesys deletion protection of the calls; one entry in holds/.',
        options: {
          ...common,
          ...callOptions,
          ...batchOptions,
          reason: {
            type: 'string',
            required: true,
            placeholder: 'TEXT',
            description: 'why the hold ends: written to the holds log',
          },
        },
      },
      (run) => holdOrRelease(run, 'release'),
    ),
    holds: command(
      {
        usage: 'npm run archive -- holds --env NAME --bucket NAME [--json]',
        summary: 'The holds still open, from the holds/ log.',
        options: { ...common },
      },
      holds,
    ),
    retag: command(
      {
        usage:
          'npm run archive -- retag --env NAME --bucket NAME --class NAME (--contact ID [--date YYYY-MM-DD] | --manifest FILE | --prefix P) [--batch-threshold N]',
        summary:
          "Sets Connect recordings' retention class with the tagger's merge and class lock (lengthens a lock, never shortens it); in bulk one S3 Batch Operations LambdaInvoke job per bucket.",
        options: {
          ...common,
          ...contactOptions,
          ...batchOptions,
          class: { type: 'string', required: true, placeholder: 'NAME', description: 'the retention class to set' },
          manifest: {
            type: 'string',
            placeholder: 'FILE',
            description: 'recordings, one a line: s3://BUCKET/KEY, or BUCKET,URL-ENCODED-KEY as in an S3 manifest',
          },
          prefix: {
            type: 'string',
            placeholder: 'P',
            description: 'every current recording under this key prefix (inside a Connect location) in its bucket(s)',
          },
          'retag-function-arn': {
            type: 'string',
            placeholder: 'ARN',
            description: "function of bulk jobs (the Connect stack's RetagFunctionArn output)",
          },
        },
        examples: [
          'npm run archive -- retag --env prod --bucket archive-bucket --class long --contact 7b1c2d3e-0000-4000-8000-00000000c0de --date 2026-11-23',
          'npm run archive -- retag --env prod --bucket archive-bucket --class long --prefix connect/CallRecordings/2026/11/ --batch-role-arn ARN --retag-function-arn ARN',
        ],
      },
      retag,
    ),
    search: command(
      {
        usage: 'npm run archive -- search --env NAME --query NAME --param k=v ... [--json]',
        summary: "Runs one of the archive's named Athena queries and prints its rows.",
        options: {
          env: common.env,
          json: common.json,
          query: {
            type: 'string',
            required: true,
            placeholder: 'NAME',
            description: `one of ${NAMED_QUERY_NAMES.join(', ')}`,
          },
          param: { type: 'string', multiple: true, placeholder: 'k=v', description: 'a parameter of the query' },
        },
        examples: [
          'npm run archive -- search --env prod --query by-agent --param user_id=UUID --param from_day=2026-11-01 --param to_day=2026-11-30',
        ],
      },
      search,
    ),
  };
}

// ---- locating a call ------------------------------------------------------------------------

function idsFrom(values: OptionValues, option: string, fileOption: string, what: string): string[] {
  const ids = [...((values[option] as string[] | undefined) ?? [])];
  const file = values[fileOption] as string | undefined;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`Cannot read --${fileOption} ${file}; give a file with one ${what} id a line.`);
    }
    ids.push(
      ...text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
  }
  return [...new Set(ids)];
}

/** Which calls a command acts on: Genesys conversations or Connect contacts (one kind a run). */
function callIds(values: OptionValues): { kind: 'conversation' | 'contact'; ids: string[] } {
  const conversations = idsFrom(values, 'conversation', 'conversations-file', 'conversation');
  const contacts = idsFrom(values, 'contact', 'contacts-file', 'contact');
  if (conversations.length > 0 && contacts.length > 0)
    throw new UsageError('Give Genesys conversations or Connect contacts, not both in one run.');
  if (contacts.length > 0) {
    if (values['start-time'] !== undefined)
      throw new UsageError('--start-time is for Genesys conversations; for a Connect contact give --date YYYY-MM-DD.');
    return { kind: 'contact', ids: contacts };
  }
  if (conversations.length === 0)
    throw new UsageError(
      'Give --conversation ID or --contact ID (repeatable), or --conversations-file FILE or --contacts-file FILE.',
    );
  if (values.date !== undefined)
    throw new UsageError('--date is for Connect contacts; for a Genesys conversation give --start-time ISO.');
  if (values['start-time'] !== undefined && conversations.length > 1)
    throw new UsageError('--start-time applies to one conversation; give it with one --conversation only.');
  return { kind: 'conversation', ids: conversations };
}

const DetailsSchema = z.looseObject({ conversationId: z.string().optional(), conversationStart: z.string() });

async function conversationPrefix(run: Run, id: string): Promise<string> {
  let start = run.values['start-time'] as string | undefined;
  if (start === undefined) {
    const genesys = await run.services.genesys();
    const details: ConversationDetails | undefined = await genesys.find(
      'GET',
      RECORDING_HOLD_PATHS.conversationDetails(id),
      DetailsSchema,
    );
    if (!details?.conversationStart) {
      throw new CliError(
        `Genesys has no conversation ${id}; check the id, or pass --start-time with the start from its folder (year=/month=/day=/hour=).`,
      );
    }
    start = details.conversationStart;
  }
  const date = new Date(start);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--start-time ${start} is not an ISO 8601 time such as 2026-11-21T09:15:00Z.`);
  return genesysConversationPrefix(run.config.recordingsPrefix, run.config.genesys.organizationId, id, date);
}

/** What decides deletion in the archive's Genesys prefix. */
function archiveRules(config: ArchiveConfig): RetentionRules {
  return {
    retentionDays: config.compliance.retentionDays,
    retentionTagKey: config.retention.tagKey,
    classes: config.retention.classes,
    noncurrentDays: config.lifecycle.noncurrentVersionExpirationDays,
  };
}

/** Every version and delete marker under a prefix, newest first per key. */
async function versionsUnder(run: Run, bucket: string, prefix: string, rules: RetentionRules): Promise<Version[]> {
  const out: Version[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await run.services.s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker, VersionIdMarker }),
    );
    for (const v of page.Versions ?? []) {
      out.push({
        bucket,
        key: v.Key!,
        versionId: v.VersionId,
        isLatest: v.IsLatest ?? false,
        deleteMarker: false,
        lastModified: v.LastModified ?? new Date(0),
        size: v.Size ?? 0,
        rules,
      });
    }
    for (const m of page.DeleteMarkers ?? []) {
      out.push({
        bucket,
        key: m.Key!,
        versionId: m.VersionId,
        isLatest: m.IsLatest ?? false,
        deleteMarker: true,
        lastModified: m.LastModified ?? new Date(0),
        size: 0,
        rules,
      });
    }
    KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker);
  // A noncurrent version became noncurrent when the next newer one (version or marker) was written.
  const byKey = new Map<string, Version[]>();
  for (const v of out) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
  return [...byKey.values()].flatMap((list) => {
    const sorted = list.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
    return sorted.map((v, i) => (v.isLatest || i === 0 ? v : { ...v, noncurrentSince: sorted[i - 1].lastModified }));
  });
}

/**
 * Every version of one Connect contact in every Connect location. With `--date`, that UTC day and
 * its neighbours; without it, day folders from today back over each location's longest retention,
 * newest first, stopping after the day before the newest day that holds the contact (one contact's
 * recordings can straddle midnight).
 */
async function contactVersions(run: Run, contactId: string): Promise<Version[]> {
  const locations = connectLocations(run.config, run.bucket);
  if (locations.length === 0) {
    throw new CliError(
      `The environment ${run.config.envName} has no Connect recordings (connect.recordIntoArchive or connect.existingRecordingBucket); a --contact cannot be found in it.`,
    );
  }
  const dateText = run.values.date as string | undefined;
  let given: Date | undefined;
  if (dateText !== undefined) {
    try {
      given = parseDay(dateText, '--date');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const limit = createLimit(CONCURRENCY);
  const out: Version[] = [];
  for (const loc of locations) {
    const days = given ? daysAround(given) : daysBackFrom(run.services.now(), loc.scanDays);
    if (given) {
      const found = await Promise.all(
        days.map((d) =>
          limit(() => versionsUnder(run, loc.bucket, contactDayPrefix(loc.prefix, d, contactId), loc.rules)),
        ),
      );
      out.push(...found.flat());
      continue;
    }
    const bar = progress(`scan s3://${loc.bucket}/${loc.prefix} for ${contactId}`, { stream: run.io.stderr });
    let hitAt: number | undefined;
    let scanned = 0;
    // Newest first, in windows of CONCURRENCY days; stop one day past the newest day that holds it.
    for (let i = 0; i < days.length && (hitAt === undefined || i <= hitAt + 1); i += CONCURRENCY) {
      const window = days.slice(i, hitAt === undefined ? i + CONCURRENCY : Math.min(i + CONCURRENCY, hitAt + 2));
      const found = await Promise.all(
        window.map((d) =>
          limit(() => versionsUnder(run, loc.bucket, contactDayPrefix(loc.prefix, d, contactId), loc.rules)),
        ),
      );
      found.forEach((versions, j) => {
        if (versions.length > 0 && hitAt === undefined) hitAt = i + j;
        out.push(...versions);
      });
      scanned += window.length;
      bar.update(scanned, days.length, hitAt === undefined ? 'day folders' : 'found');
    }
    bar.done(
      hitAt === undefined
        ? `not in ${days.length} day folder(s)`
        : `found on ${days[hitAt].toISOString().slice(0, 10)} after ${scanned} day folder(s)`,
    );
  }
  return out;
}

async function callObjects(
  run: Run,
): Promise<{ kind: 'conversation' | 'contact'; ids: string[]; versions: Version[] }> {
  const { kind, ids } = callIds(run.values);
  const limit = createLimit(CONCURRENCY);
  const rules = archiveRules(run.config);
  const perCall =
    kind === 'contact'
      ? await Promise.all(ids.map((id) => contactVersions(run, id)))
      : await Promise.all(
          ids.map((id) => limit(async () => versionsUnder(run, run.bucket, await conversationPrefix(run, id), rules))),
        );
  return { kind, ids, versions: perCall.flat() };
}

function emptyCall(kind: 'conversation' | 'contact', ids: readonly string[]): CliError {
  if (kind === 'contact')
    return new CliError(
      `No recording of contact ${ids.join(', ')} is in the Connect locations; check the id, --date (the call's day, UTC) and --bucket.`,
    );
  return new CliError(
    `No object of conversation ${ids.join(', ')} is in the archive; check the id and --bucket, or that Genesys exported it (npm run archive -- search --query by-conversation).`,
  );
}

// ---- find -------------------------------------------------------------------------------------

/**
 * The conversations of a date range (optionally of one queue and/or agent) from the Athena table
 * over the sidecars (named query `calls-in-range`), then every version under each one's folder:
 * the row's partition is its folder, so Genesys is not asked.
 */
async function rangeObjects(run: Run): Promise<{ ids: string[]; versions: Version[] }> {
  const from = run.values.from as string | undefined;
  const to = run.values.to as string | undefined;
  if (from === undefined || to === undefined) throw new UsageError('Give both --from YYYY-MM-DD and --to YYYY-MM-DD.');
  for (const [option, text] of [
    ['--from', from],
    ['--to', to],
  ]) {
    try {
      parseDay(text, option);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}; give the earlier day first.`);
  const rows = await runNamedQuery(run, 'calls-in-range', {
    from_day: from,
    to_day: to,
    queue_id: (run.values.queue as string | undefined) ?? '',
    user_id: (run.values.agent as string | undefined) ?? '',
  });
  const rules = archiveRules(run.config);
  const limit = createLimit(CONCURRENCY);
  const bar = progress('list', { stream: run.io.stderr });
  let done = 0;
  const perCall = await Promise.all(
    rows.map((r) =>
      limit(async () => {
        const start = new Date(`${r.year}-${r.month}-${r.day}T${r.hour}:00:00Z`);
        const prefix = genesysConversationPrefix(run.config.recordingsPrefix, r.org, r.conversation_id, start);
        const versions = await versionsUnder(run, run.bucket, prefix, rules);
        bar.update(++done, rows.length, 'conversations');
        return versions;
      }),
    ),
  );
  bar.done(`${rows.length} conversation(s) from ${from} to ${to}`);
  return { ids: rows.map((r) => r.conversation_id), versions: perCall.flat() };
}

async function find(run: Run): Promise<number> {
  const range = run.values.from !== undefined || run.values.to !== undefined;
  if (!range && (run.values.queue !== undefined || run.values.agent !== undefined))
    throw new UsageError('--queue and --agent narrow a date range; give them with --from and --to.');
  let ids: string[];
  let versions: Version[];
  if (range) {
    ({ ids, versions } = await rangeObjects(run));
    if (ids.length === 0) {
      const v = run.values as Record<string, string | undefined>;
      const narrowed = [v.queue ? `queue ${v.queue}` : '', v.agent ? `agent ${v.agent}` : ''].filter((x) => x !== '');
      throw new CliError(
        `No conversation from ${v.from} to ${v.to}${narrowed.length > 0 ? ` of ${narrowed.join(' and ')}` : ''} is in the sidecar table; check the days (UTC) and ids, or widen the range.`,
      );
    }
  } else {
    let kind: 'conversation' | 'contact';
    ({ kind, ids, versions } = await callObjects(run));
    if (versions.length === 0) throw emptyCall(kind, ids);
  }
  const limit = createLimit(CONCURRENCY);
  const bar = progress('find', { stream: run.io.stderr });
  let done = 0;
  const rows = await Promise.all(
    versions.map((v) =>
      limit(async () => {
        if (v.deleteMarker) {
          bar.update(++done, versions.length);
          return {
            bucket: v.bucket,
            key: v.key,
            versionId: v.versionId,
            latest: v.isLatest,
            deleteMarker: true,
            lastModified: v.lastModified.toISOString(),
          };
        }
        const head = await run.services.s3.send(
          new HeadObjectCommand({ Bucket: v.bucket, Key: v.key, VersionId: v.versionId }),
        );
        const tagging = await run.services.s3.send(
          new GetObjectTaggingCommand({ Bucket: v.bucket, Key: v.key, VersionId: v.versionId }),
        );
        const tags = Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key!, t.Value ?? '']));
        const legalHold = head.ObjectLockLegalHoldStatus === 'ON';
        const deletes = deletionDate(v.rules, {
          lastModified: v.lastModified,
          isLatest: v.isLatest,
          noncurrentSince: v.noncurrentSince,
          tags,
          retainUntil: head.ObjectLockRetainUntilDate,
          legalHold,
        });
        bar.update(++done, versions.length);
        return {
          bucket: v.bucket,
          key: v.key,
          versionId: v.versionId,
          latest: v.isLatest,
          deleteMarker: false,
          lastModified: v.lastModified.toISOString(),
          storageClass: head.StorageClass ?? 'STANDARD',
          size: head.ContentLength ?? v.size,
          lockMode: head.ObjectLockMode,
          retainUntil: head.ObjectLockRetainUntilDate?.toISOString(),
          legalHold,
          restore: restoreState(head.Restore),
          tags,
          deletes: deletes.day,
          deletesBecause: deletes.reason,
        };
      }),
    ),
  );
  bar.done(`${rows.length} version(s) of ${ids.length} call(s)`);
  if (run.values.json) {
    run.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  // Objects outside the archive bucket (Connect's own bucket) are named with their bucket.
  const where = (r: { bucket: string; key: string }) => (r.bucket === run.bucket ? r.key : `s3://${r.bucket}/${r.key}`);
  for (const r of rows) {
    if (r.deleteMarker) {
      run.io.stdout.write(
        `${where(r)}  version ${r.versionId}${r.latest ? ' (latest)' : ''}  delete marker  ${r.lastModified}\n`,
      );
      continue;
    }
    const tags =
      Object.entries(r.tags ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '-';
    run.io.stdout.write(
      `${where(r)}  version ${r.versionId}${r.latest ? ' (latest)' : ''}  ${r.storageClass}  ${r.size} bytes  lock ${r.lockMode ?? 'none'}${r.retainUntil ? ` until ${r.retainUntil.slice(0, 10)}` : ''}  legal hold ${r.legalHold ? 'ON' : 'OFF'}  tags ${tags}  deleted ${r.deletes ?? 'never while held'} (${r.deletesBecause})\n`,
    );
  }
  return 0;
}

// ---- presign ----------------------------------------------------------------------------------

async function presign(run: Run): Promise<number> {
  const expires = (run.values.expires as string | undefined) ?? '1h';
  const seconds = parseDuration(expires, '--expires');
  if (seconds > MAX_PRESIGN_SECONDS)
    throw new UsageError(`--expires ${expires} is longer than the 7 days a presigned URL can live; use 7d or less.`);
  const { kind, ids, versions } = await callObjects(run);
  const current = versions.filter((v) => v.isLatest && !v.deleteMarker);
  if (current.length === 0) throw emptyCall(kind, ids);
  const until = new Date(run.services.now().getTime() + seconds * 1000);
  const expiration = await run.services.credentialsExpiration();
  if (expiration && expiration < until) {
    run.io.stderr.write(
      `warning: the signing credentials expire at ${expiration.toISOString()}, so these links stop working then, before the ${expires} asked for; sign with credentials that live that long.\n`,
    );
  }
  const links = [];
  for (const v of current) {
    const head = await run.services.s3.send(
      new HeadObjectCommand({ Bucket: v.bucket, Key: v.key, VersionId: v.versionId }),
    );
    const storageClass = head.StorageClass ?? 'STANDARD';
    if ((ARCHIVED_CLASSES as readonly string[]).includes(storageClass) && restoreState(head.Restore) !== 'restored') {
      run.io.stderr.write(
        `warning: ${v.key} is in ${storageClass} and not restored; run npm run archive -- restore first or the link answers InvalidObjectState.\n`,
      );
    }
    const url = await run.services.presign(
      new GetObjectCommand({ Bucket: v.bucket, Key: v.key, VersionId: v.versionId }),
      seconds,
    );
    links.push({
      bucket: v.bucket,
      key: v.key,
      versionId: v.versionId,
      expires: (expiration && expiration < until ? expiration : until).toISOString(),
      url,
    });
  }
  if (run.values.json) run.io.stdout.write(`${JSON.stringify(links, null, 2)}\n`);
  else for (const l of links) run.io.stdout.write(`${l.key} (until ${l.expires})\n  ${l.url}\n`);
  return 0;
}

// ---- restore ----------------------------------------------------------------------------------

async function restore(run: Run): Promise<number> {
  const tier = ((run.values.tier as string | undefined) ?? 'Standard') as RestoreTier;
  if (!RESTORE_TIERS.includes(tier)) throw new UsageError(`--tier ${tier} is not one of ${RESTORE_TIERS.join(', ')}.`);
  const daysText = (run.values.days as string | undefined) ?? '7';
  const days = Number(daysText);
  if (!Number.isInteger(days) || days < 1)
    throw new UsageError(`--days ${daysText} must be a whole number of days, 1 or more.`);
  const { kind, ids, versions } = await callObjects(run);
  const current = versions.filter((v) => v.isLatest && !v.deleteMarker);
  if (current.length === 0) throw emptyCall(kind, ids);

  const heads = await Promise.all(
    current.map(async (v) => ({
      v,
      head: await run.services.s3.send(new HeadObjectCommand({ Bucket: v.bucket, Key: v.key, VersionId: v.versionId })),
    })),
  );
  const archived = heads.filter(({ head }) =>
    (ARCHIVED_CLASSES as readonly string[]).includes(head.StorageClass ?? 'STANDARD'),
  );
  const pending = archived.filter(({ head }) => restoreState(head.Restore) === 'none');
  if (archived.length === 0) {
    run.io.stdout.write(
      `Nothing to restore: all ${current.length} object(s) are readable now (${[...new Set(heads.map((h) => h.head.StorageClass ?? 'STANDARD'))].join(', ')}).\n`,
    );
    return 0;
  }
  let estimate;
  try {
    estimate = restoreEstimate(
      pending.map(({ v, head }) => ({ storageClass: head.StorageClass as ArchivedClass, size: v.size })),
      tier,
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  run.io.stderr.write(
    `restore: ${pending.length} object(s), ${estimate.bytes} bytes, tier ${tier}: ready ${estimate.time}; approximate retrieval cost $${estimate.costUsd.toFixed(4)} (us-east-1 list prices; check your region's S3 pricing), readable for ${days} day(s).\n`,
  );

  const threshold = batchThreshold(run.values);
  const failures: { target: string; error: string }[] = [];
  if (pending.length > threshold) {
    if (tier === 'Expedited')
      throw new UsageError(
        'S3 Batch Operations restores only with the Bulk or Standard tier; use --tier Standard or --tier Bulk, or raise --batch-threshold.',
      );
    const job = await runBatchJob(
      run,
      { S3InitiateRestoreObject: { ExpirationInDays: days, GlacierJobTier: tier === 'Bulk' ? 'BULK' : 'STANDARD' } },
      pending.map(({ v }) => v),
      'restore',
    );
    failures.push(...job.failures.map(failureOf));
  } else {
    const bar = progress('restore', { stream: run.io.stderr });
    let done = 0;
    const limit = createLimit(CONCURRENCY);
    await Promise.all(
      pending.map(({ v }) =>
        limit(async () => {
          try {
            await run.services.s3.send(
              new RestoreObjectCommand({
                Bucket: v.bucket,
                Key: v.key,
                VersionId: v.versionId,
                RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } },
              }),
            );
          } catch (error) {
            if ((error as { name?: string }).name !== 'RestoreAlreadyInProgress')
              failures.push({ target: `${v.key} ${v.versionId ?? ''}`.trim(), error: errorText(error) });
          }
          bar.update(++done, pending.length);
        }),
      ),
    );
    bar.done(`${pending.length - failures.length} restore(s) started`);
  }
  if (failures.length > 0) return reportFailed(run, failures, pending.length, 'restored', 'restore');

  if (run.values.wait) {
    const bar = progress('waiting', { stream: run.io.stderr });
    for (;;) {
      const states = await Promise.all(
        archived.map(async ({ v }) =>
          restoreState(
            (
              await run.services.s3.send(
                new HeadObjectCommand({ Bucket: v.bucket, Key: v.key, VersionId: v.versionId }),
              )
            ).Restore,
          ),
        ),
      );
      const ready = states.filter((s) => s === 'restored').length;
      bar.update(ready, archived.length, `readable (tier ${tier}: ${estimate.time})`);
      if (ready === archived.length) break;
      await run.services.sleep(run.services.pollMs);
    }
    bar.done(`all ${archived.length} object(s) readable for ${days} day(s)`);
  }
  const result = archived.map(({ v, head }) => ({
    key: v.key,
    versionId: v.versionId,
    storageClass: head.StorageClass,
    tier,
    days,
  }));
  if (run.values.json) run.io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    run.io.stdout.write(
      `${run.values.wait ? 'Restored' : 'Restore requested for'} ${archived.length} object(s); ${run.values.wait ? 'presign them now' : 'run again with --wait, or presign once ready'}.\n`,
    );
  return 0;
}

// ---- hold / release ---------------------------------------------------------------------------

async function holdOrRelease(run: Run, action: 'hold' | 'release'): Promise<number> {
  const reason = (run.values.reason as string).trim();
  if (reason === '') throw new UsageError('--reason must say why (a case or matter number).');
  const { kind, ids, versions } = await callObjects(run);
  const targets = versions.filter((v) => !v.deleteMarker);
  if (targets.length === 0) throw emptyCall(kind, ids);
  const who = await run.services.sts.send(new GetCallerIdentityCommand({}));
  const status = action === 'hold' ? 'ON' : 'OFF';
  const failures: { target: string; error: string }[] = [];

  // S3: legal hold on every version, one by one or as one Batch Operations job.
  let batchJob: HoldLogEntry['batchJob'];
  if (targets.length > batchThreshold(run.values)) {
    const job = await runBatchJob(
      run,
      { S3PutObjectLegalHold: { LegalHold: { Status: status } } },
      targets,
      action,
      who,
    );
    batchJob = { jobId: job.jobId, manifest: job.manifestKey };
    failures.push(...job.failures.map(failureOf));
  } else {
    const bar = progress(`${action} s3`, { stream: run.io.stderr });
    let done = 0;
    const limit = createLimit(CONCURRENCY);
    await Promise.all(
      targets.map((v) =>
        limit(async () => {
          try {
            await run.services.s3.send(
              new PutObjectLegalHoldCommand({
                Bucket: v.bucket,
                Key: v.key,
                VersionId: v.versionId,
                LegalHold: { Status: status },
              }),
            );
          } catch (error) {
            const where = v.bucket === run.bucket ? v.key : `s3://${v.bucket}/${v.key}`;
            failures.push({ target: `${where} ${v.versionId ?? ''}`.trim(), error: errorText(error) });
          }
          bar.update(++done, targets.length);
        }),
      ),
    );
    bar.done(`legal hold ${status} on ${targets.length - failures.length} of ${targets.length} version(s)`);
  }

  // Genesys: deletion protection, at most 100 conversations a call. Connect has none: the S3 hold alone keeps a contact.
  let protectedCount = 0;
  if (kind === 'conversation') {
    const genesys = await run.services.genesys();
    const bar = progress(`${action} genesys`, { stream: run.io.stderr });
    for (const batch of chunks(ids, DELETION_PROTECTION_MAX_IDS)) {
      const body: DeletionProtectionQuery = { conversationIds: batch };
      try {
        const answer = await genesys.request('PUT', RECORDING_HOLD_PATHS.deletionProtection, ProtectionResultSchema, {
          query: { [DELETION_PROTECTION_PARAM]: String(action === 'hold') },
          body,
        });
        for (const f of answer.failedUpdates) {
          failures.push({
            target: `genesys conversation ${f.conversation?.id ?? '?'}`,
            error: `${f.errorCode ?? 'error'}: ${f.errorMessage ?? 'no message'}`,
          });
        }
        protectedCount += batch.length - answer.failedUpdates.length;
      } catch (error) {
        if (!(error instanceof GenesysApiError)) throw error;
        failures.push(...batch.map((id) => ({ target: `genesys conversation ${id}`, error: error.message })));
      }
      bar.update(protectedCount, ids.length);
    }
    bar.done(
      `deletion protection ${action === 'hold' ? 'on' : 'off'} for ${protectedCount} of ${ids.length} conversation(s)`,
    );
  }

  // The log: one new object per hold or release, locked by the bucket's default retention.
  const entry: HoldLogEntry = {
    action,
    who: { arn: who.Arn ?? 'unknown', account: who.Account ?? 'unknown', userId: who.UserId ?? 'unknown' },
    when: run.services.now().toISOString(),
    reason,
    conversations: kind === 'conversation' ? ids : [],
    ...(kind === 'contact' ? { contacts: ids } : {}),
    objects: batchJob
      ? []
      : targets.map((v) => ({
          ...(v.bucket === run.bucket ? {} : { bucket: v.bucket }),
          key: v.key,
          versionId: v.versionId,
        })),
    ...(batchJob ? { batchJob } : {}),
    failures,
  };
  const logKey = holdLogKey(entry);
  await run.services.s3.send(
    new PutObjectCommand({
      Bucket: run.bucket,
      Key: logKey,
      Body: JSON.stringify(entry, null, 2),
      ContentType: 'application/json',
    }),
  );

  if (run.values.json) run.io.stdout.write(`${JSON.stringify({ log: logKey, ...entry }, null, 2)}\n`);
  else
    run.io.stdout.write(
      `${action === 'hold' ? 'Held' : 'Released'} ${ids.length} ${kind}(s), ${targets.length} object version(s); logged as ${logKey}.\n`,
    );
  if (failures.length > 0)
    return reportFailed(
      run,
      failures,
      targets.length + (kind === 'conversation' ? ids.length : 0),
      action === 'hold' ? 'held' : 'released',
      action,
    );
  return 0;
}

const ProtectionResultSchema = z.looseObject({
  failedUpdates: z
    .array(
      z.looseObject({
        conversation: z.looseObject({ id: z.string().optional() }).optional(),
        errorCode: z.string().optional(),
        errorMessage: z.string().optional(),
      }),
    )
    .default([]),
});

// ---- holds ------------------------------------------------------------------------------------

async function holds(run: Run): Promise<number> {
  const entries: HoldLogEntry[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await run.services.s3.send(
      new ListObjectsV2Command({ Bucket: run.bucket, Prefix: HOLDS_LOG_PREFIX, ContinuationToken }),
    );
    for (const o of page.Contents ?? []) {
      const body = await run.services.s3.send(new GetObjectCommand({ Bucket: run.bucket, Key: o.Key! }));
      const text = (await body.Body?.transformToString()) ?? '';
      try {
        entries.push(JSON.parse(text) as HoldLogEntry);
      } catch {
        throw new CliError(`The holds log entry ${o.Key} is not JSON; inspect it, the log is append-only and locked.`);
      }
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  const open = openHolds(entries);
  if (run.values.json) run.io.stdout.write(`${JSON.stringify(open, null, 2)}\n`);
  else if (open.length === 0) run.io.stdout.write(`No open hold (${entries.length} log entries).\n`);
  else
    for (const h of open)
      run.io.stdout.write(
        `${h.conversationId ?? `contact ${h.contactId}`}  since ${h.since}  by ${h.by}  reason: ${h.reason}\n`,
      );
  return 0;
}

// ---- retag ------------------------------------------------------------------------------------

/** A recording to re-tag: the current version of one object. */
interface RetagTarget {
  readonly bucket: string;
  readonly key: string;
}

function manifestTargets(file: string): RetagTarget[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`Cannot read --manifest ${file}; give a file with one s3://BUCKET/KEY (or BUCKET,KEY) a line.`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line, i) => {
      const url = /^s3:\/\/([^/]+)\/(.+)$/.exec(line);
      if (url) return { bucket: url[1], key: url[2] };
      const [bucket, key, version] = line.split(',');
      if (!bucket || !key || version)
        throw new UsageError(
          `Line ${i + 1} of --manifest ${file} is not s3://BUCKET/KEY or BUCKET,KEY; write one recording a line (no version: the class applies to the current one).`,
        );
      try {
        return { bucket, key: decodeURIComponent(key) };
      } catch {
        throw new UsageError(
          `Line ${i + 1} of --manifest ${file} has a key that is not URL-encoded; encode it or write s3://BUCKET/KEY.`,
        );
      }
    });
}

async function prefixTargets(run: Run, prefix: string, locations: readonly ConnectLocation[]): Promise<RetagTarget[]> {
  const inside = locations.filter((l) => prefix.startsWith(l.prefix));
  if (inside.length === 0)
    throw new UsageError(
      `--prefix ${prefix} is not inside a Connect location (${locations.map((l) => `s3://${l.bucket}/${l.prefix}`).join(', ')}); give a prefix that starts with one.`,
    );
  const out: RetagTarget[] = [];
  const bar = progress('list', { stream: run.io.stderr });
  for (const loc of inside) {
    let ContinuationToken: string | undefined;
    do {
      const page = await run.services.s3.send(
        new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key && !o.Key.endsWith('/')) out.push({ bucket: loc.bucket, key: o.Key });
      bar.update(out.length, undefined, 'recordings');
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
  bar.done(`${out.length} recording(s) under ${prefix}`);
  return out;
}

/**
 * Re-tags Connect recordings: at or below the threshold here, with the tagger's own logic
 * (lambda/tag-recordings/retag.ts); above it one S3 Batch Operations job per bucket that invokes the
 * Connect stack's re-tag function with the class in its UserArguments (LambdaInvoke, schema 2.0),
 * never the replace-all S3PutObjectTagging operation (G1).
 */
async function retag(run: Run): Promise<number> {
  const className = run.values.class as string;
  const classes = run.config.retention.classes;
  if (!Object.hasOwn(classes, className))
    throw new UsageError(`--class ${className} is not one of ${Object.keys(classes).join(', ')} (retention.classes).`);
  const sources = ['contact', 'contacts-file', 'manifest', 'prefix'].filter((o) => run.values[o] !== undefined);
  if (
    sources.length === 0 ||
    (sources.length > 1 && !(sources.length === 2 && sources.every((o) => o.startsWith('contact'))))
  )
    throw new UsageError(
      'Give the recordings one way: --contact ID (or --contacts-file FILE), --manifest FILE or --prefix P.',
    );
  const locations = connectLocations(run.config, run.bucket);
  if (locations.length === 0)
    throw new CliError(
      `The environment ${run.config.envName} has no Connect recordings (connect.recordIntoArchive or connect.existingRecordingBucket); nothing can be re-tagged.`,
    );

  let targets: RetagTarget[];
  if (run.values.manifest !== undefined) targets = manifestTargets(run.values.manifest as string);
  else if (run.values.prefix !== undefined) targets = await prefixTargets(run, run.values.prefix as string, locations);
  else {
    const { ids, versions } = await callObjects(run);
    targets = versions.filter((v) => v.isLatest && !v.deleteMarker).map((v) => ({ bucket: v.bucket, key: v.key }));
    if (targets.length === 0) throw emptyCall('contact', ids);
  }
  targets = [...new Map(targets.map((t) => [`${t.bucket}/${t.key}`, t])).values()];
  if (targets.length === 0) throw new CliError('No recording to re-tag; check --prefix or --manifest.');

  const failures: { target: string; error: string }[] = [];
  const where = (t: RetagTarget) => `s3://${t.bucket}/${t.key}`;
  const jobs: { bucket: string; jobId: string; manifest: string }[] = [];
  if (targets.length > batchThreshold(run.values)) {
    const functionArn = run.values['retag-function-arn'] as string | undefined;
    if (!functionArn)
      throw new UsageError(
        `${targets.length} recordings exceed --batch-threshold, so this runs as S3 Batch Operations jobs: give --retag-function-arn (the Connect stack's RetagFunctionArn output).`,
      );
    const who = await run.services.sts.send(new GetCallerIdentityCommand({}));
    for (const bucket of [...new Set(targets.map((t) => t.bucket))]) {
      const job = await runBatchJob(
        run,
        {
          LambdaInvoke: {
            FunctionArn: functionArn,
            InvocationSchemaVersion: '2.0',
            UserArguments: { [RETAG_CLASS_ARGUMENT]: className },
          },
        },
        targets.filter((t) => t.bucket === bucket),
        'retag',
        who,
        { withVersions: false },
      );
      jobs.push({ bucket, jobId: job.jobId, manifest: job.manifestKey });
      failures.push(
        ...job.failures.map((f) => ({
          target: `s3://${bucket}/${f.key}`,
          error: `${f.errorCode}: ${f.message}`.replace(/^: /, ''),
        })),
      );
    }
  } else {
    const s3 = run.services.s3;
    const deps = {
      s3,
      tagKey: run.config.retention.tagKey,
      classes: Object.keys(classes),
      locations,
      classLock: createClassLock(s3, classes),
    };
    const bar = progress('retag', { stream: run.io.stderr });
    let done = 0;
    const limit = createLimit(CONCURRENCY);
    await Promise.all(
      targets.map((t) =>
        limit(async () => {
          const result = await retagRecording(deps, t.bucket, t.key, className);
          if (result.resultCode !== 'Succeeded')
            failures.push({ target: where(t), error: `${result.resultCode}: ${result.resultString}` });
          bar.update(++done, targets.length);
        }),
      ),
    );
    bar.done(`${targets.length - failures.length} of ${targets.length} recording(s) set to ${className}`);
  }
  const tagKey = run.config.retention.tagKey;
  if (run.values.json)
    run.io.stdout.write(
      `${JSON.stringify({ class: className, recordings: targets.map(where), ...(jobs.length > 0 ? { jobs } : {}), failures }, null, 2)}\n`,
    );
  else
    run.io.stdout.write(
      `${tagKey}=${className} on ${targets.length - failures.length} of ${targets.length} recording(s)${jobs.length > 0 ? ` by S3 Batch Operations job(s) ${jobs.map((j) => j.jobId).join(', ')}` : ''}; each is locked until its class's day where the bucket has Object Lock.\n`,
    );
  if (failures.length > 0) return reportFailed(run, failures, targets.length, 're-tagged', 'retag');
  return 0;
}

// ---- search -----------------------------------------------------------------------------------

async function search(run: Run): Promise<number> {
  const name = run.values.query as string;
  if (!(NAMED_QUERY_NAMES as readonly string[]).includes(name))
    throw new UsageError(`--query ${name} is not one of ${NAMED_QUERY_NAMES.join(', ')}.`);
  const query = namedQuery(name);
  const given = new Map<string, string>();
  for (const p of (run.values.param as string[] | undefined) ?? []) {
    const i = p.indexOf('=');
    if (i < 1) throw new UsageError(`--param ${p} is not k=v.`);
    given.set(p.slice(0, i), p.slice(i + 1));
  }
  const unknown = [...given.keys()].filter((k) => !query.params.includes(k));
  if (unknown.length > 0)
    throw new UsageError(`${name} has no parameter ${unknown.join(', ')}; it takes ${query.params.join(', ')}.`);
  const missing = query.params.filter((k) => !given.has(k));
  if (missing.length > 0)
    throw new UsageError(`${name} needs --param ${missing.map((k) => `${k}=...`).join(' --param ')}.`);

  const { header, rows } = await executeQuery(run, query, Object.fromEntries(given));
  if (run.values.json) run.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    run.io.stdout.write(`${header.join('\t')}\n`);
    for (const r of rows) run.io.stdout.write(`${header.map((h) => r[h]).join('\t')}\n`);
  }
  return 0;
}

/** Runs a named query in the environment's workgroup and reads every page of its rows. */
async function executeQuery(
  run: Run,
  query: NamedQuery,
  params: Readonly<Record<string, string>>,
): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const names = searchNames(run.config.envName);
  const athena = run.services.athena;
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: query.sql,
      WorkGroup: names.workGroupName,
      QueryExecutionContext: { Database: names.databaseName },
      // Athena substitutes each value as SQL text in order: strings go as quoted literals.
      ExecutionParameters: query.params.map((k) => `'${params[k].replace(/'/g, "''")}'`),
      ClientRequestToken: randomUUID(),
    }),
  );
  const id = started.QueryExecutionId!;
  const bar = progress('search', { stream: run.io.stderr });
  for (let polls = 0; ; polls++) {
    const state = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution?.Status;
    if (state?.State === 'SUCCEEDED') break;
    if (state?.State === 'FAILED' || state?.State === 'CANCELLED') {
      throw new CliError(
        `Athena query ${id} ${state.State.toLowerCase()}: ${state.StateChangeReason ?? 'no reason given'}.`,
      );
    }
    bar.update(polls, undefined, state?.State?.toLowerCase());
    await run.services.sleep(run.services.pollMs);
  }
  const rows: Record<string, string>[] = [];
  let header: string[] | undefined;
  let NextToken: string | undefined;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken }));
    for (const row of page.ResultSet?.Rows ?? []) {
      const cells = (row.Data ?? []).map((d) => d.VarCharValue ?? '');
      if (!header) header = cells;
      else rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
    }
    NextToken = page.NextToken;
  } while (NextToken);
  bar.done(`${rows.length} row(s)`);
  return { header: header ?? [], rows };
}

/** Runs one named query with its parameters by name. */
async function runNamedQuery(
  run: Run,
  name: NamedQueryName,
  params: Readonly<Record<string, string>>,
): Promise<Record<string, string>[]> {
  return (await executeQuery(run, namedQuery(name), params)).rows;
}

// ---- Batch Operations -------------------------------------------------------------------------

function batchThreshold(values: OptionValues): number {
  const text = values['batch-threshold'] as string | undefined;
  if (text === undefined) return DEFAULT_BATCH_THRESHOLD;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--batch-threshold ${text} must be a whole number, 0 or more.`);
  return n;
}

/**
 * One S3 Batch Operations job over the versions: writes the CSV manifest under `batch/`, creates
 * the job with the stack's role, follows it, and reads the failed tasks from its completion report.
 */
async function runBatchJob(
  run: Run,
  operation: JobOperation,
  versions: readonly Pick<Version, 'bucket' | 'key' | 'versionId'>[],
  label: string,
  identity?: { Account?: string; Arn?: string },
  options: { readonly roleArn?: string; readonly withVersions?: boolean } = {},
): Promise<{ jobId: string; manifestKey: string; failures: ReportFailure[] }> {
  const roleArn = options.roleArn ?? (run.values['batch-role-arn'] as string | undefined);
  if (!roleArn) {
    throw new UsageError(
      `${versions.length} objects exceed --batch-threshold, so this runs as an S3 Batch Operations job: give --batch-role-arn (the archive stack's BatchOperationsRoleArn output).`,
    );
  }
  // The stack's role acts on the archive bucket only; the re-tag function (LambdaInvoke) on every Connect location.
  const outside = versions.filter((v) => v.bucket !== run.bucket);
  if (!operation.LambdaInvoke && outside.length > 0)
    throw new UsageError(
      `${outside.length} versions are in s3://${outside[0].bucket} (Connect's own bucket), where the Batch Operations role has no rights; raise --batch-threshold to ${versions.length} or more to act on them directly.`,
    );
  const buckets = [...new Set(versions.map((v) => v.bucket))];
  if (buckets.length !== 1) throw new Error(`runBatchJob takes the objects of one bucket, not ${buckets.join(', ')}.`);
  const withVersions = options.withVersions ?? true;
  const who = identity ?? (await run.services.sts.send(new GetCallerIdentityCommand({})));
  const account = who.Account!;
  const partition = who.Arn?.split(':')[1] ?? 'aws';
  const token = randomUUID();
  const manifestKey = `${BATCH_PREFIX}${run.services.now().toISOString().slice(0, 10)}-${label}-${token}/manifest.csv`;
  const entries: ManifestEntry[] = versions.map((v) => ({
    bucket: v.bucket,
    key: v.key,
    ...(withVersions ? { versionId: v.versionId } : {}),
  }));
  // The manifest and the completion report stay in the archive bucket's batch/ prefix, whatever bucket the objects are in.
  const put = await run.services.s3.send(
    new PutObjectCommand({
      Bucket: run.bucket,
      Key: manifestKey,
      Body: manifestCsv(entries, withVersions),
      ContentType: 'text/csv',
    }),
  );
  const reportPrefix = BATCH_REPORTS_PREFIX.replace(/\/$/, '');
  const created = await run.services.s3control.send(
    new CreateJobCommand({
      AccountId: account,
      ConfirmationRequired: false,
      Operation: operation,
      Manifest: {
        Spec: {
          Format: 'S3BatchOperations_CSV_20180820',
          Fields: withVersions ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'],
        },
        Location: { ObjectArn: `arn:${partition}:s3:::${run.bucket}/${manifestKey}`, ETag: put.ETag },
      },
      Report: {
        Bucket: `arn:${partition}:s3:::${run.bucket}`,
        Prefix: reportPrefix,
        Format: 'Report_CSV_20180820',
        Enabled: true,
        ReportScope: 'FailedTasksOnly',
      },
      Priority: 10,
      RoleArn: roleArn,
      ClientRequestToken: token,
      Description: `recording-archive ${label} of ${versions.length} object(s)`,
    }),
  );
  const jobId = created.JobId!;
  const bar = progress(`${label} job ${jobId}`, { stream: run.io.stderr });
  for (;;) {
    const job = (await run.services.s3control.send(new DescribeJobCommand({ AccountId: account, JobId: jobId }))).Job;
    const p = job?.ProgressSummary;
    bar.update(
      (p?.NumberOfTasksSucceeded ?? 0) + (p?.NumberOfTasksFailed ?? 0),
      p?.TotalNumberOfTasks ?? versions.length,
      `failed ${p?.NumberOfTasksFailed ?? 0}`,
    );
    if (job?.Status === 'Complete') {
      bar.done(`${p?.NumberOfTasksSucceeded ?? 0} succeeded, ${p?.NumberOfTasksFailed ?? 0} failed`);
      break;
    }
    if (job?.Status === 'Failed' || job?.Status === 'Cancelled') {
      const why =
        (job.FailureReasons ?? []).map((f) => `${f.FailureCode}: ${f.FailureReason}`).join('; ') || 'no reason given';
      throw new CliError(
        `S3 Batch Operations job ${jobId} ${job.Status.toLowerCase()} (${why}); its manifest is s3://${run.bucket}/${manifestKey}.`,
      );
    }
    await run.services.sleep(run.services.pollMs);
  }
  // The completion report: `<prefix>/job-<id>/manifest.json` names the CSV files of failed tasks.
  const reportManifest = await readText(run, `${reportPrefix}/job-${jobId}/manifest.json`);
  const failures: ReportFailure[] = [];
  for (const key of failedResultKeys(JSON.parse(reportManifest) as ReportManifest))
    failures.push(...reportFailures(await readText(run, key)));
  return { jobId, manifestKey, failures };
}

async function readText(run: Run, key: string): Promise<string> {
  const out = await run.services.s3.send(new GetObjectCommand({ Bucket: run.bucket, Key: key }));
  return (await out.Body?.transformToString()) ?? '';
}

function failureOf(f: ReportFailure): { target: string; error: string } {
  return { target: `${f.key} ${f.versionId}`.trim(), error: `${f.errorCode} (HTTP ${f.httpStatus}): ${f.message}` };
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}${e.message ? `: ${e.message}` : ''}`;
}

function reportFailed(
  run: Run,
  failures: readonly { target: string; error: string }[],
  total: number,
  participle: string,
  verb: string,
): number {
  for (const f of failures) run.io.stderr.write(`failed: ${f.target}: ${f.error}\n`);
  run.io.stderr.write(
    `error: ${failures.length} of ${total} could not be ${participle}; fix the cause above and run the same ${verb} again (repeating it is safe).\n`,
  );
  return 1;
}
