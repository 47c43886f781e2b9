import { randomUUID } from 'crypto';

/** Prefix of the holds log in the archive bucket (lib/constructs/legal-hold.ts). */
export const HOLDS_LOG_PREFIX = 'holds/';

/** One hold or release, as appended to the log (one locked JSON object each). */
export interface HoldLogEntry {
  readonly action: 'hold' | 'release';
  /** Caller identity (STS GetCallerIdentity). */
  readonly who: { readonly arn: string; readonly account: string; readonly userId: string };
  /** ISO 8601. */
  readonly when: string;
  readonly reason: string;
  /** Genesys conversations (empty for a hold of Connect contacts). */
  readonly conversations: readonly string[];
  /** Connect contacts (S3 legal hold only: Connect has no deletion protection). @default none */
  readonly contacts?: readonly string[];
  /**
   * Object versions the S3 legal hold was set on (or the Batch Operations manifest of a bulk job);
   * `bucket` only where it is not the archive bucket (Connect's own bucket).
   */
  readonly objects: readonly { readonly bucket?: string; readonly key: string; readonly versionId?: string }[];
  readonly batchJob?: { readonly jobId: string; readonly manifest: string };
  /** What did not take: object versions and Genesys conversations, with the reason. */
  readonly failures: readonly { readonly target: string; readonly error: string }[];
}

/** Key of a new log entry: sortable by time, never overwriting another. */
export function holdLogKey(entry: Pick<HoldLogEntry, 'action' | 'when'>, id: string = randomUUID()): string {
  return `${HOLDS_LOG_PREFIX}${entry.when.replace(/[:.]/g, '-')}-${entry.action}-${id}.json`;
}

/** An open hold: the conversation's (or contact's) latest entry is a hold. */
export interface OpenHold {
  /** The Genesys conversation, or absent for a Connect contact. */
  readonly conversationId?: string;
  /** The Connect contact. @default absent for a Genesys conversation */
  readonly contactId?: string;
  readonly since: string;
  readonly by: string;
  readonly reason: string;
}

/** Folds the log (any order) into the holds still open, oldest first. */
export function openHolds(entries: readonly HoldLogEntry[]): OpenHold[] {
  const latest = new Map<string, { hold: Pick<OpenHold, 'conversationId' | 'contactId'>; entry: HoldLogEntry }>();
  for (const e of [...entries].sort((a, b) => a.when.localeCompare(b.when))) {
    for (const c of e.conversations) latest.set(`conversation ${c}`, { hold: { conversationId: c }, entry: e });
    for (const c of e.contacts ?? []) latest.set(`contact ${c}`, { hold: { contactId: c }, entry: e });
  }
  const id = (h: OpenHold) => h.conversationId ?? `~contact ${h.contactId}`;
  return [...latest.values()]
    .filter(({ entry }) => entry.action === 'hold')
    .map(({ hold, entry }) => ({ ...hold, since: entry.when, by: entry.who.arn, reason: entry.reason }))
    .sort((a, b) => a.since.localeCompare(b.since) || id(a).localeCompare(id(b)));
}
