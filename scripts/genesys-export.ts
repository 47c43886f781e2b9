import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../lib/config';
import {
  FailedRecording,
  GenesysApiError,
  GenesysClient,
  GenesysCredentials,
  RecordingJob,
} from '../lambda/shared/genesys/client';
import { readOAuthSecret } from '../lambda/shared/genesys/oauth-secret';
import {
  genesysBaseUrls,
  JOB_STATE,
  MAX_ACTIVE_JOBS_PER_ORG,
  S3_BULK_ACTIONS_TYPE_ID,
} from '../lambda/shared/genesys/wire';
import { CliError, CliIo, CommandSpec, exitWith, OptionValues, progress, runCommand, UsageError } from './lib/cli';
import { daySlices, exportJobBody, parseDay, planSlices, SliceStep } from './genesys-export/plan';

export const EXPORT_SPEC: CommandSpec = {
  usage:
    'npm run genesys:export -- --env NAME --from YYYY-MM-DD --to YYYY-MM-DD [--conversation ID] [--dry-run] [--base-url URL] [--json]',
  summary:
    'Exports recordings made before the export policy existed: one Genesys recording bulk job (EXPORT) per UTC day, at most two at a time, resuming its own unfinished jobs when run again.',
  options: {
    env: {
      type: 'string',
      placeholder: 'NAME',
      description: 'committed environment (lib/config/environments)',
      required: true,
    },
    from: {
      type: 'string',
      placeholder: 'YYYY-MM-DD',
      description: 'first UTC day of conversations to export',
      required: true,
    },
    to: {
      type: 'string',
      placeholder: 'YYYY-MM-DD',
      description: 'last UTC day of conversations to export (included)',
      required: true,
    },
    conversation: { type: 'string', placeholder: 'ID', description: 'export only this conversation' },
    'dry-run': { type: 'boolean', description: 'print the jobs it would create or resume, and write nothing' },
    'base-url': {
      type: 'string',
      placeholder: 'URL',
      description: "Genesys login and API base URL (default: the environment region's hosts)",
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  examples: [
    'npm run genesys:export -- --env prod --from 2026-01-01 --to 2026-01-31',
    'npm run genesys:export -- --env prod --from 2026-03-02 --to 2026-03-02 --conversation 0b3c9a2e-... --dry-run',
  ],
};

/** What the command needs from outside; tests pass their own. */
export interface ExportDeps {
  /** OAuth client from the environment's secret, used when GENESYS_CLIENT_ID/SECRET are not set. */
  readonly readSecret?: (secretName: string, region: string) => Promise<GenesysCredentials>;
  readonly env?: NodeJS.ProcessEnv;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 10 s */
  readonly pollMs?: number;
  readonly now?: () => Date;
}

/** One day's outcome. */
export interface DayResult {
  readonly day: string;
  readonly jobId?: string;
  readonly state: string;
  readonly processed: number;
  readonly skipped: number;
  readonly failed: number;
  readonly failedRecordings: { conversationId?: string; recordingId?: string }[];
  readonly errorMessage?: string;
  /** What the run did with the day: created, resumed, done earlier, or planned (dry run). */
  readonly action: 'created' | 'resumed' | 'done-earlier' | 'would-create' | 'would-resume';
}

const FINISHED = new Set<string>([JOB_STATE.fulfilled, JOB_STATE.failed, JOB_STATE.cancelled]);
/** States that count against the org's limit of two (design.md). */
const COUNTED = new Set<string>([JOB_STATE.pending, JOB_STATE.processing]);

export async function main(values: OptionValues, io: CliIo, deps: ExportDeps = {}): Promise<number> {
  const envName = values.env as string;
  const from = values.from as string;
  const to = values.to as string;
  const fromMs = parseDay(from);
  const toMs = parseDay(to);
  if (fromMs === undefined) throw new UsageError(`--from '${from}' is not a date; give YYYY-MM-DD.`);
  if (toMs === undefined) throw new UsageError(`--to '${to}' is not a date; give YYYY-MM-DD.`);
  if (toMs < fromMs) throw new UsageError(`--to ${to} is before --from ${from}; give the earlier day first.`);
  const config = loadConfig(envName);
  const integration = config.genesysIntegration;
  if (!integration) {
    throw new CliError(
      `Environment "${envName}" deploys no Genesys integration (genesysIntegration is not set in lib/config/environments/${envName}.ts), so there is nothing to export into.`,
    );
  }
  const conversationId = values.conversation as string | undefined;
  const dryRun = values['dry-run'] === true;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = deps.pollMs ?? 10_000;
  const now = deps.now ?? (() => new Date());

  // The OAuth client: the shell's, else the environment's secret (never printed).
  const env = deps.env ?? process.env;
  let credentials: GenesysCredentials;
  let credentialsSource: string;
  if (env.GENESYS_CLIENT_ID && env.GENESYS_CLIENT_SECRET) {
    credentials = { clientId: env.GENESYS_CLIENT_ID, clientSecret: env.GENESYS_CLIENT_SECRET };
    credentialsSource = 'GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET';
  } else {
    const read =
      deps.readSecret ??
      ((name: string, region: string) =>
        readOAuthSecret(new SecretsManagerClient({ region }), name, (message) => new CliError(message)));
    credentials = await read(integration.oauthSecretName, config.region);
    credentialsSource = `secret '${integration.oauthSecretName}'`;
  }
  const urls = values['base-url']
    ? { loginBaseUrl: values['base-url'] as string, apiBaseUrl: values['base-url'] as string }
    : genesysBaseUrls(config.genesys.region);
  const client = new GenesysClient({ ...urls, credentials, credentialsSource, retry: { budgetMs: 120_000 } });

  // The connection's integration, by the name the Genesys stack gives it.
  const integrationName = `recording-archive-${envName}`;
  const found = (await client.listIntegrations()).find(
    (i) => i.name === integrationName && i.integrationType?.id === S3_BULK_ACTIONS_TYPE_ID,
  );
  if (!found) {
    throw new CliError(
      `Genesys has no ${S3_BULK_ACTIONS_TYPE_ID} integration named ${integrationName}; deploy the environment's Genesys stack first.`,
    );
  }

  const steps = planSlices(daySlices(fromMs, toMs), await client.listMyExportJobs(), found.id, conversationId);
  const bar = progress(`genesys:export ${envName}`, { stream: io.stderr });
  if (dryRun)
    return report(
      io,
      values,
      steps.map((step) => dryRunResult(step)),
      bar,
      true,
    );

  const results = new Map<string, DayResult>();
  const active = new Map<string, { step: SliceStep; job: RecordingJob; action: 'created' | 'resumed' }>();
  const queue: SliceStep[] = [];
  for (const step of steps) {
    if (step.kind === 'done')
      results.set(step.slice.day, {
        ...counts(step.job),
        day: step.slice.day,
        jobId: step.job.id,
        state: step.job.state,
        failedRecordings: [],
        action: 'done-earlier',
      });
    else if (step.kind === 'resume') active.set(step.job.id, { step, job: step.job, action: 'resumed' });
    else queue.push(step);
  }
  if (active.size)
    bar.log(`resuming ${active.size} unfinished job(s) of this client: ${[...active.keys()].join(', ')}`);

  const countedNow = () => [...active.values()].filter((a) => COUNTED.has(a.job.state)).length;
  while (queue.length || active.size) {
    // Queue new jobs while the org's limit leaves room.
    while (queue.length && countedNow() < MAX_ACTIVE_JOBS_PER_ORG) {
      const step = queue[0];
      let job: RecordingJob;
      try {
        job = await client.createRecordingJob(
          exportJobBody(step.slice, {
            integrationId: found.id,
            includeScreenRecordings: integration.exportPolicy.shouldExportScreenRecordings,
            conversationId,
            now: now(),
          }),
        );
      } catch (error) {
        // Another client's jobs may fill the org's two slots: wait for ours to move, or give up when we hold none.
        if (error instanceof GenesysApiError && error.status === 400 && active.size > 0) break;
        if (error instanceof GenesysApiError && error.status === 400) {
          throw new CliError(
            `Genesys refused a recording job for ${step.slice.day} (${error.genesysMessage}); if other clients' jobs fill the organization's limit of ${MAX_ACTIVE_JOBS_PER_ORG} pending or processing jobs, wait for them and run the command again.`,
          );
        }
        throw error;
      }
      queue.shift();
      active.set(job.id, { step, job, action: 'created' });
      bar.log(`${step.slice.day}: job ${job.id} created (${job.state})`);
    }
    await sleep(pollMs);
    for (const [id, entry] of active) {
      const job = await client.getRecordingJob(id);
      if (!job)
        throw new CliError(
          `Genesys recording job ${id} (${entry.step.slice.day}) disappeared; run the command again to create it anew.`,
        );
      entry.job = job;
      if (job.state === JOB_STATE.ready && countedNow() < MAX_ACTIVE_JOBS_PER_ORG) {
        try {
          entry.job = await client.executeRecordingJob(id);
        } catch (error) {
          if (error instanceof GenesysApiError && error.status === 403) {
            throw new CliError(
              `Genesys recording job ${id} was created by another OAuth client, and only that client may execute it; run the command with the client that created it.`,
            );
          }
          // The org's limit is full for now: the job stays READY and is executed on a later round.
          if (!(error instanceof GenesysApiError && error.status === 400)) throw error;
        }
      } else if (FINISHED.has(job.state)) {
        const failedRecordings =
          (job.totalFailedRecordings ?? 0) > 0 || job.state === JOB_STATE.failed
            ? await client.failedRecordings(id)
            : [];
        results.set(entry.step.slice.day, {
          ...counts(job),
          day: entry.step.slice.day,
          jobId: id,
          state: job.state,
          failedRecordings: failedRecordings.map(ref),
          errorMessage: job.errorMessage,
          action: entry.action,
        });
        active.delete(id);
        bar.log(`${entry.step.slice.day}: job ${id} ${job.state}`);
      }
    }
    const all = [...results.values(), ...[...active.values()].map((a) => ({ ...counts(a.job) }))];
    const total =
      [...active.values()].reduce((n, a) => n + (a.job.totalRecordings ?? 0), 0) +
      [...results.values()].reduce((n, r) => n + r.processed + r.skipped + r.failed, 0);
    const done = all.reduce((n, r) => n + r.processed + r.skipped + r.failed, 0);
    const sum = (k: 'processed' | 'skipped' | 'failed') => all.reduce((n, r) => n + r[k], 0);
    bar.update(
      done,
      total || undefined,
      `days ${results.size}/${steps.length}, processed ${sum('processed')}, skipped ${sum('skipped')}, failed ${sum('failed')}`,
    );
  }
  return report(
    io,
    values,
    steps.map((s) => results.get(s.slice.day)!),
    bar,
    false,
  );
}

function counts(job: RecordingJob) {
  return {
    processed: job.totalProcessedRecordings ?? 0,
    skipped: job.totalSkippedRecordings ?? 0,
    failed: job.totalFailedRecordings ?? 0,
  };
}

function ref(failed: FailedRecording) {
  return { conversationId: failed.conversation?.id, recordingId: failed.recording?.id };
}

function dryRunResult(step: SliceStep): DayResult {
  const job = step.kind === 'create' ? undefined : step.job;
  return {
    day: step.slice.day,
    jobId: job?.id,
    state: job?.state ?? 'NOT CREATED',
    ...(job ? counts(job) : { processed: 0, skipped: 0, failed: 0 }),
    failedRecordings: [],
    action: step.kind === 'create' ? 'would-create' : step.kind === 'resume' ? 'would-resume' : 'done-earlier',
  };
}

/** Prints one line per day (or JSON) and the failed recordings; exit 1 when any recording or job failed. */
function report(
  io: CliIo,
  values: OptionValues,
  results: DayResult[],
  bar: ReturnType<typeof progress>,
  dryRun: boolean,
): number {
  const failedJobs = results.filter((r) => r.state === JOB_STATE.failed || r.state === JOB_STATE.cancelled);
  const failedRecordings = results.reduce((n, r) => n + r.failed, 0);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ dryRun, days: results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      io.stdout.write(
        `${r.day}  ${r.action.padEnd(12)}  ${(r.jobId ?? '-').padEnd(36)}  ${r.state.padEnd(11)}  processed ${r.processed}, skipped ${r.skipped}, failed ${r.failed}${r.errorMessage ? `  (${r.errorMessage})` : ''}\n`,
      );
      for (const f of r.failedRecordings)
        io.stdout.write(`  failed: conversation ${f.conversationId ?? '?'} recording ${f.recordingId ?? '?'}\n`);
    }
  }
  if (dryRun) {
    bar.done(
      `dry run: ${results.filter((r) => r.action === 'would-create').length} job(s) would be created, ${results.filter((r) => r.action === 'would-resume').length} resumed; nothing was written`,
    );
    return 0;
  }
  bar.done(
    `${results.length} day(s): ${failedRecordings} recording(s) failed, ${failedJobs.length} job(s) failed or cancelled`,
  );
  return failedRecordings > 0 || failedJobs.length > 0 ? 1 : 0;
}

if (require.main === module) exitWith(runCommand(EXPORT_SPEC, (values, io) => main(values, io)));
