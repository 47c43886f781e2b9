import { FindingCollector, FindingCounts, addCounts, emptyCounts } from './findings';
import { UnexportedRecording, notExportedFinding } from './not-exported';
import { LIFECYCLE_GRACE_DAYS, ListedVersion, overRetentionFindings, tagRulesCouldBeDue } from './over-retention';
import { Partition } from './partitions';
import { createLimit } from '../shared/limit';
import {
  EncryptionDetails,
  ExpirationRule,
  ListedObject,
  SidecarPairing,
  binaryOrder,
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

/** One ListObjectVersions page: versions and delete markers in key order, each key's newest first. */
export interface VersionPage {
  readonly versions: readonly ListedVersion[];
  /** Opaque: where the next page starts (ListObjectVersions' key and version-id markers). */
  readonly nextToken?: string;
}

/** The S3 reads the check makes; the handler passes SDK adapters, tests pass s3rver, the gateway or memory. */
export interface ArchiveReader {
  /** ListObjectsV2: current objects only (conversation folders, and copies whose retention is not measured). */
  listPage(bucket: string, prefix: string, continuationToken?: string): Promise<ListPage>;
  /** ListObjectVersions: every version and delete marker (copies whose retention is measured). */
  listVersions(bucket: string, prefix: string, token?: string): Promise<VersionPage>;
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
  /** Recordings of conversations the export policy covers that Genesys reports without `exportedDate`. */
  readonly unexported?: readonly UnexportedRecording[];
  readonly nextCursor?: string;
}

/** How a source may spend its time on one page. */
export interface ExportedRecordingPageOptions {
  /**
   * False once the invocation must stop starting work: the source then ends the page early and
   * returns a `nextCursor` at the first item it did not read (the same page, further on).
   */
  readonly timeLeft?: () => boolean;
}

/** Where the recordings Genesys exported in a window come from (the Genesys client, or a fake). */
export interface ExportedRecordingSource {
  page(
    window: { readonly since: Date; readonly until: Date },
    cursor?: string,
    options?: ExportedRecordingPageOptions,
  ): Promise<ExportedRecordingPage>;
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
  /**
   * Hours after its start a recording may go without `exportedDate` before it is NotExported.
   * @default 24
   */
  readonly exportGraceHours?: number;
  /**
   * Per bucket, what its lifecycle is built to do: every version of a bucket named here is listed
   * (ListObjectVersions) and measured for RetainedPastDay and NoncurrentPastDay against the run's
   * start. Buckets not named are listed with ListObjectsV2 and not measured.
   * @default - over-retention is not measured
   */
  readonly retention?: Readonly<Record<string, RetentionCopy>>;
}

/** One copy's configured lifecycle, as the stacks build it (lib/retention/copies.ts). */
export interface RetentionCopy {
  /** 'archive', 'replica', 'connect-bucket': named in each finding's detail. */
  readonly copy: string;
  /** Expirations (days) of the copy's rules; tag-filtered ones apply to Connect recordings by their tags. */
  readonly rules: readonly ExpirationRule[];
  /** The copy's NoncurrentVersionExpiration days. */
  readonly noncurrentDays: number;
  /** @default LIFECYCLE_GRACE_DAYS */
  readonly graceDays?: number;
}

/**
 * Where a started partition continues. Every key of the listing up to `after` in the page that
 * `token` lists (or, without `after`, every key before that page) has been checked: paired,
 * compared with the lifecycle, and read when it is recent.
 */
export interface PartitionCursor {
  /** Index of the partition in the plan. */
  readonly index: number;
  /** ListObjectsV2 continuation token of the page to list next (absent: the first page). */
  readonly token?: string;
  /** Last key of that page already checked (with all its versions); the page is listed again and keys up to this one are skipped. */
  readonly after?: string;
  /** Unmatched recording and sidecar keys of the conversation folder the listing stopped in. */
  readonly pending?: readonly string[];
  /** The partition's one spot check of an older object is done. */
  readonly spotChecked?: boolean;
}

/** Carried from one invocation to the next; everything needed to resume. */
export interface RunState {
  readonly runId: string;
  /** ISO 8601 start of the run: fixes the partition plan and the lookback window. */
  readonly startedAt: string;
  /** 1 for the scheduled invocation, then one more per continuation. */
  readonly invocation: number;
  /** Index of the first partition not yet started. */
  readonly nextPartition: number;
  /** Partitions started by an earlier invocation and not finished (each index below `nextPartition`). */
  readonly partitionsInProgress?: readonly PartitionCursor[];
  /** Cursor of the next page of Genesys exports, once partitions are done. */
  readonly genesysCursor?: string;
  readonly genesysDone: boolean;
  /** Findings of all earlier invocations of the run. */
  readonly counts: FindingCounts;
}

/** Requests and objects one invocation handled. */
export interface InvocationStats {
  /** Partitions finished by this invocation. */
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

/**
 * One invocation of a run: resumes the partitions in progress, then starts partitions from
 * `state.nextPartition`, with bounded concurrency or, once they are all done, pages of Genesys
 * exports. It checks the time left before every list page, every batch of HEAD or tag reads
 * (`concurrency` keys) and every Genesys page; when fewer than `safetyMs` remain it stops and
 * returns a cursor for each partition it is inside, so the next invocation continues there:
 * every object is checked once, and no finding is counted twice.
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
  const limit = createLimit(settings.concurrency);
  const resumable = [...(input.state.partitionsInProgress ?? [])].sort((a, b) => a.index - b.index);
  for (const cursor of resumable) {
    if (cursor.index >= Math.min(plan.length, input.state.nextPartition)) {
      throw new Error(
        `The run state resumes partition ${cursor.index}, which is not a started partition of the ${plan.length}-partition plan.`,
      );
    }
  }
  const findings = new FindingCollector(settings.examplesPerType);
  const stats: InvocationStats = {
    partitions: 0,
    pointers: 0,
    listRequests: 0,
    headRequests: 0,
    tagRequests: 0,
    exportedChecked: 0,
  };
  const since = new Date(Date.parse(input.state.startedAt) - settings.lookbackDays * DAY_MS);
  const timeLeft = () => remainingMs() > settings.safetyMs;

  const list = (bucket: string, prefix: string, token?: string) => {
    stats.listRequests += 1;
    return limit(() => reader.listPage(bucket, prefix, token));
  };

  const now = new Date(input.state.startedAt);

  /** A page of versions: ListObjectVersions where the copy is measured, else ListObjectsV2 as current versions. */
  const listVersions = async (partition: Partition, token?: string): Promise<VersionPage> => {
    stats.listRequests += 1;
    if (settings.retention?.[partition.bucket]) {
      return limit(() => reader.listVersions(partition.bucket, partition.prefix, token));
    }
    const page = await limit(() => reader.listPage(partition.bucket, partition.prefix, token));
    return {
      versions: page.objects.map((o) => ({ ...o, isLatest: true, isDeleteMarker: false })),
      nextToken: page.nextToken,
    };
  };

  /**
   * Everything one key's versions need: the current version is paired, compared with the
   * lifecycle and (when recent) read; every version is measured for over-retention, with the
   * current version's tags where a tag-filtered rule could already be due (Connect recordings;
   * Genesys exports carry no retention tag). Returns the reads it needs, to run in a batch.
   */
  const checkKey = (
    partition: Partition,
    versions: readonly ListedVersion[],
    state: { spotChecked: boolean; pairing: SidecarPairing },
  ): Array<() => Promise<void>> => {
    const reads: Array<() => Promise<void>> = [];
    const latest = versions[0];
    const current = latest && latest.isLatest && !latest.isDeleteMarker ? latest : undefined;
    const primary = !partition.retentionOnly;
    let needTagsForClass = false;
    if (current && primary && !current.key.endsWith('/')) {
      if (partition.source === 'connect') {
        stats.pointers += 1;
        needTagsForClass = current.lastModified >= since;
      } else {
        for (const finding of state.pairing.add(current.key)) findings.add(finding);
        const expiry = expirationFinding(current, settings.expirationRules, settings.platformRetentionDays);
        if (expiry) findings.add(expiry);
        // Recent objects are all read; older ones were read by earlier runs, so one spot check per partition.
        if (current.lastModified >= since || !state.spotChecked) {
          state.spotChecked = true;
          reads.push(async () => {
            stats.headRequests += 1;
            const details = await limit(() => reader.encryption(partition.bucket, current.key));
            const finding = encryptionFinding(current.key, details, settings.archiveKeyArn);
            if (finding) findings.add(finding);
          });
        }
      }
    }
    const copy = settings.retention?.[partition.bucket];
    const options = copy && {
      copy: copy.copy,
      rules: copy.rules,
      noncurrentDays: copy.noncurrentDays,
      now,
      graceDays: copy.graceDays ?? LIFECYCLE_GRACE_DAYS,
    };
    const untagged = options ? overRetentionFindings(versions, undefined, options) : [];
    // Tags can only make an expiration earlier: read them only when no untagged rule is already past due
    // and a class rule could be.
    const needTagsForRetention =
      options !== undefined &&
      partition.source === 'connect' &&
      current !== undefined &&
      !untagged.some((f) => f.type === 'RetainedPastDay') &&
      tagRulesCouldBeDue(current, options.rules, now, options.graceDays);
    if (current && (needTagsForClass || needTagsForRetention)) {
      reads.push(async () => {
        stats.tagRequests += 1;
        const tags = await limit(() => reader.tags(partition.bucket, current.key));
        if (needTagsForClass) {
          const finding = retentionTagFinding(current.key, tags, settings.retentionTagKey, settings.retentionClasses);
          if (finding) findings.add(finding);
        }
        const measured = options
          ? needTagsForRetention
            ? overRetentionFindings(versions, tags, options)
            : untagged
          : [];
        for (const finding of measured) findings.add(finding);
      });
    } else {
      for (const finding of untagged) findings.add(finding);
    }
    return reads;
  };

  /** Checks a partition from its cursor; returns where it stopped, or undefined when it is finished. */
  const checkPartition = async (cursor: PartitionCursor): Promise<PartitionCursor | undefined> => {
    const partition = plan[cursor.index];
    const versioned = settings.retention?.[partition.bucket] !== undefined;
    const state = { pairing: new SidecarPairing(cursor.pending), spotChecked: cursor.spotChecked ?? false };
    // `token` lists the page being checked; `after` is its last key checked with all its versions.
    let token = cursor.token;
    let after = cursor.after;
    // The last key of the previous page, whose versions may continue on the next page, and where
    // its first version was listed (a pause lists that page again from there).
    let carried: ListedVersion[] = [];
    let carriedFrom: { token?: string; after?: string } | undefined;
    const pause = (): PartitionCursor => {
      stats.pointers += state.pairing.pointers;
      const pending = state.pairing.pending();
      const at = carriedFrom ?? { token, after };
      return {
        index: cursor.index,
        ...(at.token === undefined ? {} : { token: at.token }),
        ...(at.after === undefined ? {} : { after: at.after }),
        ...(pending.length > 0 ? { pending } : {}),
        ...(state.spotChecked ? { spotChecked: state.spotChecked } : {}),
      };
    };

    // The worker has just looked at the clock before the first page.
    for (let first = true; ; first = false) {
      if (!first && !timeLeft()) return pause();
      const page = await listVersions(partition, token);
      const skip = after;
      const end = partition.before;
      const unchecked = page.versions.filter((v) => skip === undefined || binaryOrder(v.key, skip) > 0);
      const listed = unchecked.filter((v) => end === undefined || binaryOrder(v.key, end) < 0);
      // The last page, or the listing has passed the partition's end.
      const last = page.nextToken === undefined || listed.length < unchecked.length;
      const groups: ListedVersion[][] = [];
      for (const version of [...carried, ...listed]) {
        const group = groups[groups.length - 1];
        if (group && group[0].key === version.key) group.push(version);
        else groups.push([version]);
      }
      const continuing = carried.length > 0 && groups[0]?.[0].key === carried[0].key ? carriedFrom : undefined;
      carried = [];
      // The page's last key may have more versions on the next page (a current-object listing has one per key).
      const held = !last && versioned && groups.length > 0 ? groups.pop()! : undefined;
      let reads: Array<() => Promise<void>> = [];
      for (const [i, group] of groups.entries()) {
        reads.push(...checkKey(partition, group, state));
        if (i === 0) carriedFrom = undefined;
        if (reads.length >= settings.concurrency) {
          await Promise.all(reads.map((read) => read()));
          reads = [];
          // Every key up to this one is checked: a safe place to stop.
          after = group[0].key;
          if (!timeLeft()) return pause();
        }
      }
      await Promise.all(reads.map((read) => read()));
      if (groups.length > 0) after = groups[groups.length - 1][0].key;
      if (held) {
        carried = held;
        // Listed again from the page it started on when the run pauses before it is checked.
        carriedFrom = groups.length === 0 && continuing ? continuing : { token, after };
      }
      if (last) break;
      token = page.nextToken;
      after = undefined;
    }
    stats.pointers += state.pairing.pointers;
    for (const finding of state.pairing.findings()) findings.add(finding);
    stats.partitions += 1;
    return undefined;
  };

  // Partitions: each worker resumes a partition in progress or starts the next one while time is
  // left, and stops when the one it works on has to pause.
  let next = input.state.nextPartition;
  const paused: PartitionCursor[] = [];
  const worker = async () => {
    while ((resumable.length > 0 || next < plan.length) && timeLeft()) {
      const cursor = resumable.shift() ?? { index: next++ };
      const stopped = await checkPartition(cursor);
      if (stopped) {
        paused.push(stopped);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  const inProgress = [...paused, ...resumable].sort((a, b) => a.index - b.index);

  // Genesys exports: one page at a time, in invocations of their own, so a Genesys outage never
  // costs the partition results of the invocation it happens in.
  let cursor = input.state.genesysCursor;
  let genesysDone = input.state.genesysDone || !source;
  const partitionsDoneBefore =
    input.state.nextPartition >= plan.length && (input.state.partitionsInProgress ?? []).length === 0;
  while (source && !genesysDone && partitionsDoneBefore && timeLeft()) {
    // The source ends a page early when time runs short; its cursor then points into the same page.
    const page = await source.page({ since, until: new Date(input.state.startedAt) }, cursor, { timeLeft });
    await Promise.all(page.recordings.map((recording) => checkExported(recording)));
    for (const recording of page.unexported ?? []) {
      const finding = notExportedFinding(recording, new Date(input.state.startedAt), settings.exportGraceHours ?? 24);
      if (finding) findings.add(finding);
    }
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

  const done = next >= plan.length && inProgress.length === 0 && genesysDone;
  const { partitionsInProgress: _resumed, ...carried } = input.state;
  return {
    state: {
      ...carried,
      invocation: input.state.invocation + (done ? 0 : 1),
      nextPartition: next,
      ...(inProgress.length > 0 ? { partitionsInProgress: inProgress } : {}),
      genesysCursor: cursor,
      genesysDone,
      counts: addCounts(input.state.counts, findings.counts),
    },
    done,
    findings,
    stats,
  };
}
