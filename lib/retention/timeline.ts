import type { ArchiveConfig } from '../config/schema';

/**
 * What happens to one recording on each copy, day by day: a pure function of the validated
 * configuration, printed by `npm run retention` and shown on the evidence page. It imports no
 * AWS SDK and no CDK, so it can run anywhere the config can be read.
 */

/** A copy of a recording: the archive bucket, its cross-region replica, Connect's own bucket. */
export type CopyName = 'archive' | 'replica' | 'connect-bucket';

/** One recording kind (Genesys exports, one Connect class, untagged Connect recordings) on one copy. */
export interface TimelineRow {
  /** Genesys exports, or Connect recordings (one retention class, or untagged). */
  readonly source: 'genesys' | 'connect';
  /** Connect class name; undefined for Genesys exports and for untagged Connect recordings. */
  readonly retentionClass?: string;
  /**
   * A Connect recording that carries no retention tag (its CTR never arrived or failed, or it
   * predates the stack): it follows the fallback expiration.
   * @default false
   */
  readonly untagged?: boolean;
  readonly copy: CopyName;
  /** Human label, e.g. 'archive bucket', 'replica (us-west-2)', 'amazon-connect-sample-recordings'. */
  readonly bucket: string;
  /** Days after the object is written; undefined = that transition does not happen. */
  readonly standardIaDay?: number;
  readonly glacierDay?: number;
  readonly deepArchiveDay?: number;
  /** Per-object retain-until (days after the write); undefined when the copy has no Object Lock the app knows of. */
  readonly lockedUntilDay?: number;
  readonly lockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  /** The lifecycle expiration day: the current version becomes a delete marker. */
  readonly deleteMarkerDay: number;
  /** Delete marker day + noncurrent-version expiration days: the bytes are gone. */
  readonly bytesGoneDay: number;
  /** Genesys's native copy is deleted by Genesys's own retention policy (genesys.platformRetentionDays). */
  readonly nativeDeletionDay?: number;
  readonly notes: readonly string[];
}

/** Days lifecycle may lag behind a due action; the integrity check allows this before it reports over-retention. */
export const LIFECYCLE_GRACE_DAYS = 2;

const ASYNC_NOTE =
  'Lifecycle counts days from the write, rounds up to the next midnight UTC and runs asynchronously: an action may land a day or two after its day.';
const SMALL_OBJECT_NOTE = 'Objects under 128 KB stay in STANDARD (transition requests would cost more than they save).';

/**
 * The copies that hold Connect recordings: the archive's `connect/` prefix when Connect records
 * into the archive (replication covers the recordings prefix only, so `connect/` has no replica),
 * Connect's own bucket when configured, else (neither) the archive's recordings prefix and its replica.
 */
export function connectCopies(config: ArchiveConfig): readonly CopyName[] {
  if (!config.connect) return [];
  const copies: CopyName[] = [];
  if (config.connect.recordIntoArchive) copies.push('archive');
  if (config.connect.existingRecordingBucket) copies.push('connect-bucket');
  if (copies.length > 0) return copies;
  return config.replication ? ['archive', 'replica'] : ['archive'];
}

/** The day untagged Connect recordings expire: the longest class, so the fallback never shortens a class. */
export function fallbackExpirationDays(config: ArchiveConfig): number {
  return Math.max(...Object.values(config.retention.classes));
}

/** Transitions of the archive's window rule that happen before the object expires. */
function archiveTransitions(
  config: ArchiveConfig,
  deleteMarkerDay: number,
): Pick<TimelineRow, 'standardIaDay' | 'glacierDay' | 'deepArchiveDay'> {
  const { standardIaDays, glacierDays, deepArchiveDays } = config.lifecycle;
  const before = (day: number) => (day < deleteMarkerDay ? day : undefined);
  return {
    standardIaDay: before(standardIaDays),
    glacierDay: before(glacierDays),
    deepArchiveDay: before(deepArchiveDays),
  };
}

function bucketLabel(config: ArchiveConfig, copy: CopyName): string {
  if (copy === 'archive') return `archive bucket (${config.region})`;
  if (copy === 'replica') return `replica (${config.replication!.region})`;
  return config.connect!.existingRecordingBucket!.bucketName;
}

/** Rows for the archive bucket and (same rules, built by the same function) its replica. */
function archiveCopyRow(
  config: ArchiveConfig,
  copy: 'archive' | 'replica',
  kind: Pick<TimelineRow, 'source' | 'retentionClass' | 'untagged'>,
  deleteMarkerDay: number,
  lockedUntilDay: number | undefined,
  notes: string[],
): TimelineRow {
  const lockMode = config.objectLock.mode;
  const replicaNotes =
    copy === 'replica'
      ? [
          "The replica's own lifecycle (the archive's rules) places its delete marker: S3 never replicates delete markers that lifecycle adds.",
          `The replica's retain-until comes from replication, which copies each version's Object Lock retention; the replica bucket's own default retention (${config.objectLock.defaultRetentionDays} days, ${config.objectLock.mode}) applies on arrival.`,
        ]
      : [];
  return {
    ...kind,
    copy,
    bucket: bucketLabel(config, copy),
    ...archiveTransitions(config, deleteMarkerDay),
    lockedUntilDay,
    lockMode,
    deleteMarkerDay,
    bytesGoneDay: deleteMarkerDay + config.lifecycle.noncurrentVersionExpirationDays,
    notes: [...notes, ...replicaNotes, SMALL_OBJECT_NOTE, ASYNC_NOTE],
  };
}

/**
 * For Genesys exports and for each Connect retention class (and untagged Connect recordings), on
 * each copy: transition days, locked-until day, delete-marker day and the day the bytes are gone.
 */
export function retentionTimeline(config: ArchiveConfig): readonly TimelineRow[] {
  const rows: TimelineRow[] = [];
  const window = config.compliance.retentionDays;
  const archiveCopies: Array<'archive' | 'replica'> = config.replication ? ['archive', 'replica'] : ['archive'];
  const defaultLock = config.objectLock.defaultRetentionDays;

  // Genesys exports: the window rule; the lock function lengthens the default lock to the window.
  for (const copy of archiveCopies) {
    rows.push({
      ...archiveCopyRow(config, copy, { source: 'genesys' }, window, window, [
        `Locked by default for ${defaultLock} days on write; the lock function then sets retain-until to the write + ${window} days (recordings and their _metadata.json sidecars).`,
      ]),
      nativeDeletionDay: config.genesys.platformRetentionDays,
    });
  }

  if (!config.connect) return rows;
  const classes = Object.entries(config.retention.classes);
  const fallback = fallbackExpirationDays(config);
  for (const copy of connectCopies(config)) {
    if (copy === 'connect-bucket') {
      const existing = config.connect.existingRecordingBucket!;
      const noncurrent = existing.noncurrentVersionExpirationDays;
      const lockNote =
        "This app does not own the bucket: when it has Object Lock, the tagger sets retain-until to the write + the class's days in the bucket's default mode (a later CTR may lengthen it, never shorten it); without Object Lock nothing is locked.";
      const versionNote = `If the bucket is not versioned, the recording is deleted outright on the expiration day; if it is, the noncurrent version goes ${noncurrent} day(s) later.`;
      for (const [name, days] of classes) {
        rows.push({
          source: 'connect',
          retentionClass: name,
          copy,
          bucket: bucketLabel(config, copy),
          deleteMarkerDay: days,
          bytesGoneDay: days + noncurrent,
          notes: [
            lockNote,
            versionNote,
            'No transitions: the app writes only expirations into this bucket.',
            ASYNC_NOTE,
          ],
        });
      }
      rows.push({
        source: 'connect',
        untagged: true,
        copy,
        bucket: bucketLabel(config, copy),
        deleteMarkerDay: fallback,
        bytesGoneDay: fallback + noncurrent,
        notes: [
          `Fallback expiration at the longest class (${fallback} days): S3 applies the shorter of overlapping expirations, so it never shortens a class.`,
          'Never tagged, so never locked by the tagger (only by the bucket default retention, if any).',
          versionNote,
          ASYNC_NOTE,
        ],
      });
      continue;
    }
    for (const [name, days] of classes) {
      rows.push(
        archiveCopyRow(config, copy, { source: 'connect', retentionClass: name }, days, days, [
          `The tagger sets retain-until to the write + ${days} days when it tags; a later CTR may lengthen it, never shorten it.`,
        ]),
      );
    }
    if (config.connect.recordIntoArchive) {
      // Under connect/ the fallback rule expires an untagged recording at the longest class (the window caps it).
      const day = Math.min(window, fallback);
      rows.push(
        archiveCopyRow(config, copy, { source: 'connect', untagged: true }, day, Math.min(defaultLock, day), [
          `Untagged recordings under connect/ follow the fallback expiration at the longest class (${fallback} days, capped by the ${window}-day window): S3 applies the shorter of overlapping expirations, so it never shortens a class.`,
          `Never tagged, so only the bucket default retention (${defaultLock} days) locks it.`,
        ]),
      );
      continue;
    }
    // In the archive's recordings prefix an untagged recording follows the window rule.
    rows.push(
      archiveCopyRow(config, copy, { source: 'connect', untagged: true }, window, defaultLock, [
        `Untagged recordings in the recordings prefix follow the window rule (${window} days), the prefix-wide expiration.`,
        `Never tagged, so only the bucket default retention (${defaultLock} days) locks it.`,
      ]),
    );
  }
  return rows;
}

/** 'Genesys exports', 'class sales (400 d)', 'untagged Connect'. */
export function rowLabel(row: TimelineRow, config: ArchiveConfig): string {
  if (row.source === 'genesys') return 'Genesys exports';
  if (row.untagged) return 'untagged Connect';
  return `class ${row.retentionClass} (${config.retention.classes[row.retentionClass!]} d)`;
}
