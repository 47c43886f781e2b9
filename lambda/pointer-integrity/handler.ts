import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import * as z from '../shared/zod';
import { readOAuthSecret } from '../shared/genesys/oauth-secret';
import { GenesysClient } from '../shared/genesys/client';
import { genesysBaseUrls } from '../shared/genesys/wire';
import { logger } from '../shared/logger';
import { FINDING_TYPES, FindingCounts, INTEGRITY_METRICS, totalFindings } from './findings';
import { genesysExportSource } from './genesys-source';
import { PartitionPlanInput, genesysConversationPrefix, partitionPlan } from './partitions';
import { ExpirationRule } from './reconcile';
import { ExportedRecordingSource, InvocationStats, RunState, newRun, runInvocation } from './run';
import { liveExpirationRules, putJson, s3Reader } from './s3-reader';
import { IntegritySettings, readSettings } from './settings';

/** What the handler needs; the module's `handler` builds them from the environment, tests pass their own. */
export interface IntegrityDeps {
  readonly settings: IntegritySettings;
  readonly s3: S3Client;
  /** Publishes one SNS message. */
  readonly publish: (topicArn: string, subject: string, message: string) => Promise<void>;
  readonly metrics: Metrics;
  /** Recordings Genesys reports as exported; without it (and without `sourceFor`) that check is skipped. */
  readonly source?: ExportedRecordingSource;
  /**
   * Builds the source for one invocation, whose Genesys calls may take `totalBudgetMs` in all:
   * the time left when the invocation starts minus the safety margin. Takes precedence over `source`.
   */
  readonly sourceFor?: (totalBudgetMs: number) => ExportedRecordingSource;
  /** Reads the live lifecycle expirations (s3rver has no lifecycle API, so tests pass their own). */
  readonly expirationRules?: (s3: S3Client, bucket: string) => Promise<ExpirationRule[]>;
  /**
   * The client for a measured copy in another region (the replica).
   * @default - an S3Client of that region
   */
  readonly s3In?: (region: string) => S3Client;
}

/** What one invocation did, returned for logs and tests. */
export interface InvocationSummary {
  readonly runId: string;
  readonly invocation: number;
  readonly done: boolean;
  readonly reportKey: string;
  /** This invocation's findings. */
  readonly counts: FindingCounts;
  /** The run's findings so far. */
  readonly runCounts: FindingCounts;
  readonly stats: InvocationStats;
  readonly nextPartition: number;
}

const countsSchema = z.object(
  Object.fromEntries(FINDING_TYPES.map((t) => [t, z.number().check(z.int(), z.gte(0))])),
) as unknown as z.ZodMiniType<FindingCounts>;
const RunStateSchema = z.object({
  runId: z.string().check(z.regex(/^[0-9TZ]+$/)),
  startedAt: z.iso.datetime(),
  invocation: z.number().check(z.int(), z.positive()),
  nextPartition: z.number().check(z.int(), z.gte(0)),
  partitionsInProgress: z.optional(
    z.array(
      z.object({
        index: z.number().check(z.int(), z.gte(0)),
        token: z.optional(z.string()),
        after: z.optional(z.string()),
        pending: z.optional(z.array(z.string())),
        spotChecked: z.optional(z.boolean()),
      }),
    ),
  ),
  genesysCursor: z.optional(z.string()),
  genesysDone: z.boolean(),
  counts: countsSchema,
});
const ScheduledEventSchema = z.object({ 'detail-type': z.literal('Scheduled Event'), time: z.iso.datetime() });
const ContinuationEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })).check(z.length(1)),
});

/** The run state an event starts or continues: the weekly schedule starts a run, an SNS continuation resumes one. */
export function stateFromEvent(event: unknown): RunState {
  const scheduled = ScheduledEventSchema.safeParse(event);
  if (scheduled.success) return newRun(new Date(scheduled.data.time));
  const continuation = ContinuationEventSchema.safeParse(event);
  if (continuation.success) {
    let message: unknown;
    try {
      message = JSON.parse(continuation.data.Records[0].Sns.Message);
    } catch {
      message = undefined;
    }
    const state = RunStateSchema.safeParse(message);
    if (state.success) return state.data;
  }
  throw new Error('The event is neither the scheduled start of a run nor the SNS continuation of one.');
}

/** The handler over its dependencies: one invocation of a run, its report part, metrics, and what comes next. */
export function createHandler(deps: IntegrityDeps) {
  const { settings: s, s3 } = deps;
  return async (event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<InvocationSummary> => {
    const state = stateFromEvent(event);
    // The Genesys client's total budget ends when the invocation must stop starting work, so no
    // call (retries and waits included) runs into the safety margin.
    const source = deps.sourceFor
      ? deps.sourceFor(Math.max(0, context.getRemainingTimeInMillis() - s.safetyMs))
      : deps.source;
    logger.appendKeys({ runId: state.runId, invocation: state.invocation });
    logger.info('Pointer-integrity invocation starts.', { state });

    const startedAt = new Date(state.startedAt);
    const copies = s.measuredCopies;
    // Connect's day partitions reach back to its longest expiration, so they are listed concurrently;
    // what is older is in the partition before them.
    const connectDays = (bucket: string, prefix: string) =>
      Math.max(
        s.lookbackDays,
        ...copies
          .filter((c) => c.bucket === bucket)
          .flatMap((c) => c.rules.filter((r) => r.prefix.startsWith(prefix) || prefix.startsWith(r.prefix)))
          .map((r) => r.days),
      );
    const plan = partitionPlan({
      startedAt,
      horizonDays: s.horizonDays,
      archiveBucket: s.archiveBucket,
      recordingsPrefix: s.recordingsPrefix,
      keyLayout: s.keyLayout,
      orgId: s.orgId,
      connect: s.connect && { ...s.connect, days: connectDays(s.connect.bucket, s.connect.prefix) },
      overRetention: copies.length > 0,
      retentionOnly: copies.flatMap((c): NonNullable<PartitionPlanInput['retentionOnly']>[number][] =>
        c.list === undefined
          ? []
          : c.list.layout === 'genesys'
            ? [{ layout: 'genesys' as const, bucket: c.bucket, days: s.horizonDays }]
            : [
                {
                  layout: 'connect' as const,
                  bucket: c.bucket,
                  prefix: c.list.prefix,
                  days: connectDays(c.bucket, c.list.prefix),
                },
              ],
      ),
    });
    const regional = Object.fromEntries(
      copies.flatMap((c) => (c.region === undefined ? [] : [[c.bucket, (deps.s3In ?? defaultS3In)(c.region)]])),
    );
    const expirationRules = await (deps.expirationRules ?? liveExpirationRules)(s3, s.archiveBucket);
    const result = await runInvocation({
      state,
      plan,
      reader: s3Reader(s3, regional),
      source,
      remainingMs: () => context.getRemainingTimeInMillis(),
      settings: {
        archiveKeyArn: s.archiveKeyArn,
        platformRetentionDays: s.platformRetentionDays,
        expirationRules,
        lookbackDays: s.lookbackDays,
        retentionTagKey: s.retentionTagKey,
        retentionClasses: s.retentionClasses,
        conversationPrefix: (at, conversationId) =>
          genesysConversationPrefix(s.recordingsPrefix, s.keyLayout, s.orgId, at, conversationId),
        archiveBucket: s.archiveBucket,
        concurrency: s.concurrency,
        safetyMs: s.safetyMs,
        exportGraceHours: s.exportGraceHours,
        examplesPerType: s.examplesPerType,
        retention: Object.fromEntries(
          copies.map((c) => [c.bucket, { copy: c.copy, rules: c.rules, noncurrentDays: c.noncurrentDays }]),
        ),
      },
    });

    // 1. The report part: written first, so a failure later never loses findings.
    const runFolder = `${s.reportPrefix}${state.runId}/`;
    const reportKey = `${runFolder}part-${String(state.invocation).padStart(4, '0')}.json`;
    await putJson(s3, s.archiveBucket, reportKey, {
      runId: state.runId,
      startedAt: state.startedAt,
      invocation: state.invocation,
      partitions: {
        from: state.nextPartition,
        to: result.state.nextPartition,
        of: plan.length,
        resumed: (state.partitionsInProgress ?? []).map((c) => c.index),
        inProgress: (result.state.partitionsInProgress ?? []).map((c) => c.index),
      },
      genesys: {
        cursorFrom: state.genesysCursor ?? null,
        cursorTo: result.state.genesysCursor ?? null,
        done: result.state.genesysDone,
      },
      stats: result.stats,
      counts: result.findings.counts,
      findings: result.findings.examples,
    });

    // 2. Logs and metrics (one per finding type, zeros included so the alarm sees data).
    for (const finding of result.findings.examples) logger.warn('Pointer-integrity finding.', { ...finding });
    for (const type of FINDING_TYPES) deps.metrics.addMetric(type, MetricUnit.Count, result.findings.counts[type]);
    deps.metrics.addMetric(INTEGRITY_METRICS.findings, MetricUnit.Count, result.findings.total);
    deps.metrics.addMetric('PointersVerified', MetricUnit.Count, result.stats.pointers);
    deps.metrics.addMetric('PartitionsChecked', MetricUnit.Count, result.stats.partitions);
    deps.metrics.publishStoredMetrics();
    logger.info('Pointer-integrity invocation ends.', {
      reportKey,
      done: result.done,
      stats: result.stats,
      counts: result.findings.counts,
    });

    // 3. Continue in a new invocation, or close the run: summary, and the topic when anything was found.
    if (!result.done) {
      await deps.publish(s.continuationTopicArn, 'pointer-integrity continuation', JSON.stringify(result.state));
    } else {
      const total = totalFindings(result.state.counts);
      const summaryKey = `${runFolder}summary.json`;
      await putJson(s3, s.archiveBucket, summaryKey, {
        runId: state.runId,
        startedAt: state.startedAt,
        finishedAt: new Date().toISOString(),
        invocations: state.invocation,
        partitions: plan.length,
        counts: result.state.counts,
        total,
        parts: Array.from(
          { length: state.invocation },
          (_, i) => `${runFolder}part-${String(i + 1).padStart(4, '0')}.json`,
        ),
      });
      if (total > 0) {
        const lines = FINDING_TYPES.filter((t) => result.state.counts[t] > 0).map(
          (t) => `${t}: ${result.state.counts[t]}`,
        );
        await deps.publish(
          s.alarmTopicArn,
          'Pointer-integrity check found discrepancies',
          `The pointer-integrity run ${state.runId} found ${total} discrepancies in s3://${s.archiveBucket}:\n${lines.join('\n')}\nReport: s3://${s.archiveBucket}/${summaryKey}`,
        );
      }
    }
    return {
      runId: state.runId,
      invocation: state.invocation,
      done: result.done,
      reportKey,
      counts: result.findings.counts,
      runCounts: result.state.counts,
      stats: result.stats,
      nextPartition: result.state.nextPartition,
    };
  };
}

/** One client per region, for every invocation of the container. */
const regionalClients = new Map<string, S3Client>();
function defaultS3In(region: string): S3Client {
  let client = regionalClients.get(region);
  if (!client) {
    client = new S3Client({ region });
    regionalClients.set(region, client);
  }
  return client;
}

let configured: Promise<ReturnType<typeof createHandler>> | undefined;

/** Builds the dependencies from the environment once per container; the Genesys client only when configured. */
async function configure(): Promise<ReturnType<typeof createHandler>> {
  const settings = readSettings(process.env);
  const sns = new SNSClient({});
  let sourceFor: ((totalBudgetMs: number) => ExportedRecordingSource) | undefined;
  if (settings.genesys) {
    const { oauthSecretName, region } = settings.genesys;
    const credentials = await readOAuthSecret(new SecretsManagerClient({}), oauthSecretName);
    // One client per invocation: its total budget counts from its creation, and a warm container
    // serves many invocations.
    sourceFor = (totalBudgetMs) =>
      genesysExportSource(
        new GenesysClient({
          ...genesysBaseUrls(region),
          credentials,
          credentialsSource: `secret '${oauthSecretName}'`,
          retry: { totalBudgetMs },
        }),
        settings.exportCoverage,
      );
  }
  return createHandler({
    settings,
    s3: new S3Client({}),
    sourceFor,
    metrics: new Metrics({
      namespace: INTEGRITY_METRICS.namespace,
      serviceName: INTEGRITY_METRICS.service,
      defaultDimensions: { Environment: settings.envName },
    }),
    publish: async (TopicArn, Subject, Message) => {
      await sns.send(new PublishCommand({ TopicArn, Subject, Message }));
    },
  });
}

/** Lambda entry point: the weekly schedule or an SNS continuation. */
export const handler = async (
  event: unknown,
  context: { getRemainingTimeInMillis(): number },
): Promise<InvocationSummary> => {
  // A failed setup (e.g. an unreadable secret) is retried by the next invocation, not cached.
  configured ??= configure().catch((error: unknown) => {
    configured = undefined;
    throw error;
  });
  return (await configured)(event, context);
};
