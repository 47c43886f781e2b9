import { FindingCollector, FindingCounts, addCounts, emptyCounts } from './findings';
import { Partition } from './partitions';
import {
  EncryptionDetails,
  ExpirationRule,
  ListedObject,
  SidecarPairing,
  encryptionFinding,
  expirationFinding,
  parseExportedKey,
  retentionTagFinding,
} from './reconcile';

/** One ListObjectsV2 page. */
export interface ListPage {
  readonly objects: readonly ListedObject[];
  readonly nextToken?: string;
}

/** The S3 reads the check makes; the handler passes SDK adapters, tests pass s3rver or memory. */
export interface ArchiveReader {
  listPage(bucket: string, prefix: string, continuationToken?: string): Promise<ListPage>;
  encryption(bucket: string, key: string): Promise<EncryptionDetails>;
  tags(bucket: string, key: string): Promise<Readonly<Record<string, string>>>;
}

/** A recording Genesys reports as exported (recording metadata with `exportedDate`). */
export interface ExportedRecording {
  readonly conversationId: string;
  readonly recordingId: string;
  readonly exportedDate: Date;
  /** Start of the recording or of its conversation, when Genesys gives it. */
  readonly startTime?: Date;
}

/** One page of exported recordings and the cursor of the next page. */
export interface ExportedRecordingPage {
  readonly recordings: readonly ExportedRecording[];
  readonly nextCursor?: string;
}

/** Where the recordings Genesys exported in a window come from (the Genesys client, or a fake). */
export interface ExportedRecordingSource {
  page(window: { readonly since: Date; readonly until: Date }, cursor?: string): Promise<ExportedRecordingPage>;
}

/** What one run checks against. */
export interface CheckSettings {
  readonly archiveKeyArn: string;
  readonly platformRetentionDays: number;
  /** Enabled expirations of the archive bucket's live lifecycle configuration. */
  readonly expirationRules: readonly ExpirationRule[];
  /** Days back from the run's start: Genesys exports checked, and objects whose encryption or tag is read. */
  readonly lookbackDays: number;
  readonly retentionTagKey: string;
  readonly retentionClasses: readonly string[];
  /** Builds the conversation folder a recording is exported into, for one instant. */
  readonly conversationPrefix: (at: Date, conversationId: string) => string;
  readonly archiveBucket: string;
  /** S3 requests in flight at once, and partitions listed at once. */
  readonly concurrency: number;
  /** Stop starting work when fewer milliseconds than this remain. */
  readonly safetyMs: number;
  /** Findings kept per type in a report part (counts stay exact). */
  readonly examplesPerType: number;
}

/** Carried from one invocation to the next; everything needed to resume. */
export interface RunState {
  readonly runId: string;
  /** ISO 8601 start of the run: fixes the partition plan and the lookback window. */
  readonly startedAt: string;
  /** 1 for the scheduled invocation, then one more per continuation. */
  readonly invocation: number;
  /** Index of the first partition not yet checked. */
  readonly nextPartition: number;
  /** Cursor of the next page of Genesys exports, once partitions are done. */
  readonly genesysCursor?: string;
  readonly genesysDone: boolean;
  /** Findings of all earlier invocations of the run. */
  readonly counts: FindingCounts;
}

/** Requests and objects one invocation handled. */
export interface InvocationStats {
  partitions: number;
  pointers: number;
  listRequests: number;
  headRequests: number;
  tagRequests: number;
  exportedChecked: number;
}

export interface InvocationResult {
  /** State for the next invocation (when not done) or the final state. */
  readonly state: RunState;
  readonly done: boolean;
  /** This invocation's findings. */
  readonly findings: FindingCollector;
  readonly stats: InvocationStats;
}

/** The first state of a run that starts at `startedAt`. */
export function newRun(startedAt: Date): RunState {
  return {
    runId: startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, ''),
    startedAt: startedAt.toISOString(),
    invocation: 1,
    nextPartition: 0,
    genesysDone: false,
    counts: emptyCounts(),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A gate that lets at most `n` tasks run at once; the rest wait in call order. */
function gate(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/**
 * One invocation of a run: checks partitions from `state.nextPartition` with bounded
 * concurrency or, once they are all done, pages of Genesys exports, and stops starting work
 * when the time left falls under `safetyMs`. Every partition it starts it finishes, so the returned state's
 * `nextPartition` is exact: the next invocation starts there and none is skipped or repeated.
 */
export async function runInvocation(input: {
  readonly state: RunState;
  readonly plan: readonly Partition[];
  readonly reader: ArchiveReader;
  readonly source?: ExportedRecordingSource;
  readonly settings: CheckSettings;
  readonly remainingMs: () => number;
}): Promise<InvocationResult> {
  const { plan, reader, source, settings, remainingMs } = input;
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) {
    throw new Error(`Concurrency must be a positive integer, not ${settings.concurrency}.`);
  }
  const findings = new FindingCollector(settings.examplesPerType);
  const stats: InvocationStats = { partitions: 0, pointers: 0, listRequests: 0, headRequests: 0, tagRequests: 0, exportedChecked: 0 };
  const limit = gate(settings.concurrency);
  const since = new Date(Date.parse(input.state.startedAt) - settings.lookbackDays * DAY_MS);
  const timeLeft = () => remainingMs() > settings.safetyMs;

  const list = (bucket: string, prefix: string, token?: string) => {
    stats.listRequests += 1;
    return limit(() => reader.listPage(bucket, prefix, token));
  };

  const checkPartition = async (partition: Partition) => {
    const pairing = new SidecarPairing();
    const inspect: string[] = [];
    let spotChecked = false;
    let token: string | undefined;
    do {
      const page = await list(partition.bucket, partition.prefix, token);
      for (const object of page.objects) {
        if (object.key.endsWith('/')) continue;
        if (partition.source === 'connect') {
          stats.pointers += 1;
          if (object.lastModified >= since) inspect.push(object.key);
          continue;
        }
        pairing.add(object.key);
        const expiry = expirationFinding(object, settings.expirationRules, settings.platformRetentionDays);
        if (expiry) findings.add(expiry);
        // Recent objects are all read; older ones were read by earlier runs, so one spot check per partition.
        if (object.lastModified >= since || !spotChecked) {
          inspect.push(object.key);
          spotChecked = true;
        }
      }
      token = page.nextToken;
    } while (token);
    stats.pointers += pairing.pointers;
    for (const finding of pairing.findings()) findings.add(finding);

    await Promise.all(
      inspect.map(async (key) => {
        if (partition.source === 'connect') {
          stats.tagRequests += 1;
          const tags = await limit(() => reader.tags(partition.bucket, key));
          const finding = retentionTagFinding(key, tags, settings.retentionTagKey, settings.retentionClasses);
          if (finding) findings.add(finding);
        } else {
          stats.headRequests += 1;
          const details = await limit(() => reader.encryption(partition.bucket, key));
          const finding = encryptionFinding(key, details, settings.archiveKeyArn);
          if (finding) findings.add(finding);
        }
      }),
    );
    stats.partitions += 1;
  };

  // Partitions: each worker takes the next index while time is left and finishes what it took.
  let next = input.state.nextPartition;
  const worker = async () => {
    while (next < plan.length && timeLeft()) {
      const index = next;
      next += 1;
      await checkPartition(plan[index]);
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));

  // Genesys exports: one page at a time, in invocations of their own, so a Genesys outage never
  // costs the partition results of the invocation it happens in.
  let cursor = input.state.genesysCursor;
  let genesysDone = input.state.genesysDone || !source;
  const partitionsDoneBefore = input.state.nextPartition >= plan.length;
  while (source && !genesysDone && partitionsDoneBefore && timeLeft()) {
    const page = await source.page({ since, until: new Date(input.state.startedAt) }, cursor);
    await Promise.all(page.recordings.map((recording) => checkExported(recording)));
    cursor = page.nextCursor;
    genesysDone = cursor === undefined;
  }

  async function checkExported(recording: ExportedRecording): Promise<void> {
    stats.exportedChecked += 1;
    // The export layout's date is not documented as the start or the export time, so both folders are tried.
    const instants = [recording.startTime, recording.exportedDate].filter((at): at is Date => at !== undefined);
    const prefixes = [...new Set(instants.map((at) => settings.conversationPrefix(at, recording.conversationId)))];
    for (const prefix of prefixes) {
      const page = await list(settings.archiveBucket, prefix);
      const found = page.objects.some((object) => {
        const parsed = parseExportedKey(object.key);
        return parsed?.role === 'recording' && parsed.recordingId === recording.recordingId;
      });
      if (found) return;
    }
    findings.add({
      type: 'ExportedRecordingMissing',
      key: `${prefixes[0]}${recording.recordingId}`,
      detail: `Genesys reports recording ${recording.recordingId} of conversation ${recording.conversationId} exported at ${recording.exportedDate.toISOString()}, but no recording is under ${prefixes.join(' or ')}.`,
    });
  }

  const done = next >= plan.length && genesysDone;
  return {
    state: {
      ...input.state,
      invocation: input.state.invocation + (done ? 0 : 1),
      nextPartition: next,
      genesysCursor: cursor,
      genesysDone,
      counts: addCounts(input.state.counts, findings.counts),
    },
    done,
    findings,
    stats,
  };
}
