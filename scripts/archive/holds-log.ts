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
  readonly conversations: readonly string[];
  /** Object versions the S3 legal hold was set on (or the Batch Operations manifest of a bulk job). */
  readonly objects: readonly { readonly key: string; readonly versionId?: string }[];
  readonly batchJob?: { readonly jobId: string; readonly manifest: string };
  /** What did not take: object versions and Genesys conversations, with the reason. */
  readonly failures: readonly { readonly target: string; readonly error: string }[];
}

/** Key of a new log entry: sortable by time, never overwriting another. */
export function holdLogKey(entry: Pick<HoldLogEntry, 'action' | 'when'>, id: string = randomUUID()): string {
  return `${HOLDS_LOG_PREFIX}${entry.when.replace(/[:.]/g, '-')}-${entry.action}-${id}.json`;
}

/** An open hold: the conversation's latest entry is a hold. */
export interface OpenHold {
  readonly conversationId: string;
  readonly since: string;
  readonly by: string;
  readonly reason: string;
}

/** Folds the log (any order) into the holds still open, oldest first. */
export function openHolds(entries: readonly HoldLogEntry[]): OpenHold[] {
  const latest = new Map<string, HoldLogEntry>();
  for (const e of [...entries].sort((a, b) => a.when.localeCompare(b.when))) {
    for (const c of e.conversations) latest.set(c, e);
  }
  return [...latest.entries()]
    .filter(([, e]) => e.action === 'hold')
    .map(([conversationId, e]) => ({ conversationId, since: e.when, by: e.who.arn, reason: e.reason }))
    .sort((a, b) => a.since.localeCompare(b.since) || a.conversationId.localeCompare(b.conversationId));
}
