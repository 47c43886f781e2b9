import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../lib/config';
import { createLimit } from '../lambda/shared/limit';
import { TaggerSettings } from '../lambda/tag-recordings/settings';
import { tagPlan } from '../lambda/tag-recordings/tag-plan';
import { planRecord } from '../lambda/tag-recordings/tagger';
import {
  CliError,
  CliIo,
  CommandSpec,
  describeError,
  exitWith,
  OptionValues,
  progress,
  runCommand,
  UsageError,
} from './lib/cli';
import { decompressed, jsonObjects } from './lib/ctr-archive';

export const SPEC: CommandSpec = {
  usage:
    'npm run ctr:backfill -- --env NAME (--from s3://BUCKET/PREFIX | --file PATH) [--since DATE] [--rate N] [--checkpoint FILE] [--limit N] [--json]',
  summary:
    'Tags the recordings of archived CTRs (concatenated JSON objects as Connect and Firehose write them, gzip or not) through the same logic as the stream tagger, without writing to the stream; resumable from a checkpoint file.',
  options: {
    env: {
      type: 'string',
      description: 'environment whose retention classes apply',
      placeholder: 'NAME',
      required: true,
    },
    from: {
      type: 'string',
      description: 'S3 prefix of the CTR archive (objects are read in key order)',
      placeholder: 's3://BUCKET/PREFIX',
    },
    file: { type: 'string', description: 'one local CTR archive file', placeholder: 'PATH' },
    since: {
      type: 'string',
      description: 'skip CTRs last updated before this date (and S3 objects written before it)',
      placeholder: 'YYYY-MM-DD',
    },
    rate: { type: 'string', description: 'CTRs started per second (default 50)', placeholder: 'N' },
    checkpoint: {
      type: 'string',
      description: 'checkpoint file, read to resume and written as work completes (default .ctr-backfill-ENV.json)',
      placeholder: 'FILE',
    },
    failures: {
      type: 'string',
      description:
        'where CTRs that could not be tagged are appended, one per line (default ctr-backfill-ENV.failed.jsonl; pass it as --file later)',
      placeholder: 'FILE',
    },
    limit: {
      type: 'string',
      description: 'stop after this many CTRs (the checkpoint resumes after them)',
      placeholder: 'N',
    },
    json: { type: 'boolean', description: 'print the summary as JSON' },
  },
  examples: [
    'npm run ctr:backfill -- --env prod --from s3://connect-ctr-archive/firehose/2026/ --since 2026-01-01 --rate 100',
    'npm run ctr:backfill -- --env prod --file ctrs-2026-11.json.gz',
  ],
};

/** Where a backfill resumes: every object up to `completedThrough`, then `ctrs` CTRs of `inProgress`. */
export interface Checkpoint {
  readonly version: 1;
  readonly source: string;
  readonly completedThrough?: string;
  readonly inProgress?: { readonly object: string; readonly ctrs: number };
}

/** What a backfill did. */
export interface BackfillSummary {
  readonly objects: number;
  /** CTRs read, including those skipped by --since or the checkpoint. */
  readonly read: number;
  readonly resumedPast: number;
  readonly skippedBySince: number;
  readonly tagged: number;
  /** Recordings written (the rest already had their class). */
  readonly written: number;
  readonly failed: number;
  /** True when --limit stopped it before the end. */
  readonly stopped: boolean;
}

/** What the command talks to. */
export interface BackfillDependencies {
  /** Reads the CTR archive (--from) and tags the recordings. */
  readonly s3: S3Client;
  /** @default the environment's committed retention settings */
  readonly settings?: TaggerSettings;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Source {
  readonly name: string;
  open(): Promise<AsyncIterable<Buffer>>;
}

function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9.-]{3,63})(?:\/(.*))?$/.exec(url);
  if (!match) throw new UsageError(`--from must be s3://BUCKET/PREFIX, not '${url}'.`);
  return { bucket: match[1], prefix: match[2] ?? '' };
}

async function* s3Sources(s3: S3Client, url: string, since: Date | undefined): AsyncGenerator<Source> {
  const { bucket, prefix } = parseS3Url(url);
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      // An object written before --since holds only CTRs from before it.
      if (since && object.LastModified && object.LastModified < since) continue;
      const key = object.Key ?? '';
      yield {
        name: key,
        open: async () => {
          const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return Body as unknown as AsyncIterable<Buffer>;
        },
      };
    }
    token = page.NextContinuationToken;
  } while (token);
}

function readCheckpoint(file: string, source: string): Checkpoint | undefined {
  if (!fs.existsSync(file)) return undefined;
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
  } catch {
    throw new CliError(`The checkpoint ${file} is not JSON; delete it to start over.`);
  }
  if (checkpoint.source !== source) {
    throw new CliError(
      `The checkpoint ${file} belongs to ${checkpoint.source}, not ${source}; pass another --checkpoint or delete it to start over.`,
    );
  }
  return checkpoint;
}

function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(checkpoint)}\n`);
  fs.renameSync(temporary, file);
}

function timestampOf(ctr: Record<string, unknown>): number | undefined {
  for (const field of ['LastUpdateTimestamp', 'DisconnectTimestamp', 'InitiationTimestamp']) {
    const value = ctr[field];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  }
  return undefined;
}

function positive(values: OptionValues, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${name} must be a positive number, not '${String(raw)}'.`);
  return value;
}

/** Runs the backfill. */
export async function backfill(values: OptionValues, deps: BackfillDependencies, io: CliIo): Promise<BackfillSummary> {
  const envName = values.env as string;
  let config;
  try {
    config = loadConfig(envName);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const from = values.from as string | undefined;
  const file = values.file as string | undefined;
  if ((from === undefined) === (file === undefined)) throw new UsageError('Give exactly one of --from and --file.');
  const since = values.since === undefined ? undefined : new Date(values.since as string);
  if (since && Number.isNaN(since.getTime()))
    throw new UsageError(`--since must be a date such as 2026-01-31, not '${String(values.since)}'.`);
  const rate = positive(values, 'rate', 50);
  const limitCount = values.limit === undefined ? Infinity : positive(values, 'limit', Infinity);
  const source = from ?? path.resolve(file!);
  const checkpointFile = (values.checkpoint as string | undefined) ?? `.ctr-backfill-${envName}.json`;
  const failuresFile = (values.failures as string | undefined) ?? `ctr-backfill-${envName}.failed.jsonl`;
  const settings: TaggerSettings = deps.settings ?? {
    tagKey: config.retention.tagKey,
    classes: Object.keys(config.retention.classes),
    defaultClass: config.retention.defaultClass,
    concurrency: 16,
    missingObjectAttempts: 2,
    missingObjectDelayMs: 200,
  };
  const retry = { attempts: settings.missingObjectAttempts, delayMs: settings.missingObjectDelayMs };
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = createLimit(settings.concurrency);
  const bar = progress('ctr:backfill', { stream: io.stderr });

  if (file !== undefined && !fs.existsSync(file))
    throw new CliError(`The file ${file} does not exist; pass the path of a CTR archive file.`);
  const sources: AsyncIterable<Source> = from
    ? s3Sources(deps.s3, from, since)
    : (async function* () {
        yield { name: source, open: async () => fs.createReadStream(file!) };
      })();

  let checkpoint: Checkpoint = readCheckpoint(checkpointFile, source) ?? { version: 1, source };
  let nextStart = now();
  const paced = async () => {
    const wait = nextStart - now();
    nextStart = Math.max(now(), nextStart) + 1000 / rate;
    if (wait > 0) await sleep(wait);
  };
  const failures: string[] = [];
  const counts = { objects: 0, read: 0, resumedPast: 0, skippedBySince: 0, tagged: 0, written: 0, failed: 0 };
  let started = 0;
  let stopped = false;
  let lastWrite = 0;

  for await (const object of sources) {
    if (checkpoint.completedThrough !== undefined && object.name <= checkpoint.completedThrough) continue;
    counts.objects += 1;
    const skip = checkpoint.inProgress?.object === object.name ? checkpoint.inProgress.ctrs : 0;
    // Completion of each CTR of this object, so the checkpoint only moves past a contiguous prefix.
    const done: boolean[] = [];
    let contiguous = skip;
    const inFlight: Array<Promise<void>> = [];
    const complete = (index: number) => {
      done[index] = true;
      while (done[contiguous]) contiguous += 1;
      if (now() - lastWrite >= 1000) {
        lastWrite = now();
        writeCheckpoint(checkpointFile, { ...checkpoint, inProgress: { object: object.name, ctrs: contiguous } });
      }
    };
    let index = 0;
    for await (const text of jsonObjects(decompressed(await object.open()), object.name)) {
      const i = index++;
      counts.read += 1;
      if (i < skip) {
        counts.resumedPast += 1;
        continue;
      }
      if (started >= limitCount) {
        stopped = true;
        break;
      }
      const planned = planRecord(text, settings);
      if ('error' in planned) {
        failures.push(text);
        counts.failed += 1;
        bar.log(`${object.name} CTR ${i + 1}: ${planned.error}`);
        complete(i);
        continue;
      }
      const timestamp = timestampOf(planned.ctr);
      if (since && timestamp !== undefined && timestamp < since.getTime()) {
        counts.skippedBySince += 1;
        complete(i);
        continue;
      }
      started += 1;
      await paced();
      const task = limit(async () => {
        try {
          const outcome = await tagPlan(deps.s3, planned.plan, retry);
          if (outcome.status === 'tagged') {
            counts.tagged += 1;
            counts.written += outcome.written;
          } else {
            failures.push(text);
            counts.failed += 1;
            bar.log(`contact ${planned.plan.contactId}: ${outcome.detail}`);
          }
        } catch (error) {
          failures.push(text);
          counts.failed += 1;
          bar.log(`contact ${planned.plan.contactId}: ${describeError(error)}`);
        }
        complete(i);
        bar.update(counts.tagged + counts.failed, undefined, `tagged ${counts.tagged}, failed ${counts.failed}`);
      });
      inFlight.push(task);
      // Bounded memory: wait for the gate before reading far ahead.
      if (inFlight.length >= settings.concurrency * 4)
        await Promise.all(inFlight.splice(0, inFlight.length - settings.concurrency));
    }
    await Promise.all(inFlight);
    if (failures.length > 0)
      fs.appendFileSync(
        failuresFile,
        failures
          .splice(0)
          .map((f) => `${f}\n`)
          .join(''),
      );
    checkpoint = stopped
      ? { ...checkpoint, inProgress: { object: object.name, ctrs: contiguous } }
      : { version: 1, source, completedThrough: object.name };
    writeCheckpoint(checkpointFile, checkpoint);
    if (stopped) break;
  }
  bar.done(
    `${stopped ? 'stopped at --limit' : 'done'}: tagged ${counts.tagged} CTRs (${counts.written} recordings written), failed ${counts.failed}`,
  );
  return { ...counts, stopped };
}

/** The command's main: testable with injected clients. */
export function main(deps: () => BackfillDependencies) {
  return async (values: OptionValues, io: CliIo): Promise<number> => {
    const summary = await backfill(values, deps(), io);
    if (values.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      io.stdout.write(
        `Read ${summary.read} CTRs from ${summary.objects} objects: tagged ${summary.tagged} (${summary.written} recordings written), ${summary.failed} failed, ${summary.skippedBySince} before --since, ${summary.resumedPast} done by an earlier run${summary.stopped ? '; stopped at --limit, run again to resume' : ''}.\n`,
      );
    }
    return summary.failed > 0 ? 1 : 0;
  };
}

if (require.main === module) {
  exitWith(
    runCommand(
      SPEC,
      main(() => ({ s3: new S3Client({}) })),
    ),
  );
}
