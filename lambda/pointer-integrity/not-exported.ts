import { Finding } from './findings';

const HOUR_MS = 60 * 60 * 1000;

/**
 * The export policy's conditions, as the check receives them (`genesysIntegration.exportPolicy`):
 * the policy covers a conversation when it matches every non-empty condition.
 */
export interface ExportCoverage {
  /** `call`, `chat`, `email`, `message`: at least one. */
  readonly mediaTypes: readonly string[];
  /** Queue ids; empty: every queue. */
  readonly queueIds: readonly string[];
  /** `INBOUND`, `OUTBOUND`; empty: every direction. */
  readonly directions: readonly string[];
  /** Wrap-up code ids; empty: every wrap-up code. */
  readonly wrapupCodeIds: readonly string[];
}

/** The coverage of the config's default policy: calls, no conditions. */
export const DEFAULT_EXPORT_COVERAGE: ExportCoverage = {
  mediaTypes: ['call'],
  queueIds: [],
  directions: [],
  wrapupCodeIds: [],
};

/** What the analytics conversation says about the policy's conditions; absent: the data does not say. */
export interface ConversationFacts {
  readonly mediaTypes?: readonly string[];
  readonly queueIds?: readonly string[];
  readonly direction?: string;
  readonly wrapupCodeIds?: readonly string[];
}

/** The analytics conversation fields read (`AnalyticsConversationWithoutAttributes` of the Genesys SDK). */
export interface AnalyticsConversationLike {
  readonly originatingDirection?: string;
  readonly participants?: readonly {
    readonly sessions?: readonly {
      readonly mediaType?: string;
      readonly segments?: readonly { readonly queueId?: string; readonly wrapUpCode?: string }[];
    }[];
  }[];
}

/** Analytics session media types by the policy's media type names (`voice` is a call). */
const POLICY_MEDIA: Readonly<Record<string, string>> = {
  voice: 'call',
  chat: 'chat',
  email: 'email',
  message: 'message',
};

const nonEmpty = <T>(values: T[]): T[] | undefined => (values.length > 0 ? values : undefined);

/** Reads the facts from an analytics conversation: session media types, segment queues and wrap-up codes, the originating direction. */
export function conversationFacts(conversation: AnalyticsConversationLike): ConversationFacts {
  const sessions = (conversation.participants ?? []).flatMap((p) => p.sessions ?? []);
  const segments = sessions.flatMap((s) => s.segments ?? []);
  const direction = conversation.originatingDirection?.toUpperCase();
  return {
    mediaTypes: nonEmpty(
      sessions.flatMap((s) => (s.mediaType === undefined ? [] : [POLICY_MEDIA[s.mediaType] ?? s.mediaType])),
    ),
    queueIds: nonEmpty(segments.flatMap((s) => (s.queueId === undefined ? [] : [s.queueId]))),
    direction: direction === 'INBOUND' || direction === 'OUTBOUND' ? direction : undefined,
    wrapupCodeIds: nonEmpty(segments.flatMap((s) => (s.wrapUpCode === undefined ? [] : [s.wrapUpCode]))),
  };
}

/**
 * Whether the policy covers the conversation. A condition the facts cannot answer (the analytics
 * data leaves it out) counts as met only when the policy has no such condition: an unknown is
 * never reported as a missed export. Media types are always a condition, so a conversation with no
 * session media type is never covered. A `mixed` direction (`originatingDirection` other than
 * inbound or outbound) is unknown, too.
 */
export function coveredByPolicy(facts: ConversationFacts, coverage: ExportCoverage): boolean {
  const meets = (condition: readonly string[], values: readonly string[] | undefined) =>
    condition.length === 0 || (values !== undefined && values.some((v) => condition.includes(v)));
  return (
    meets(coverage.mediaTypes, facts.mediaTypes) &&
    meets(coverage.queueIds, facts.queueIds) &&
    meets(coverage.directions, facts.direction === undefined ? undefined : [facts.direction]) &&
    meets(coverage.wrapupCodeIds, facts.wrapupCodeIds)
  );
}

/** A recording of a covered conversation that Genesys reports without `exportedDate`. */
export interface UnexportedRecording {
  readonly conversationId: string;
  readonly recordingId: string;
  /** Start of the recording or of its conversation, when Genesys gives it. */
  readonly startTime?: Date;
}

/**
 * NotExported: the recording started more than `graceHours` before `now` and Genesys has still not
 * exported it. Without a start time its age is unknown, so it is not reported.
 */
export function notExportedFinding(recording: UnexportedRecording, now: Date, graceHours: number): Finding | undefined {
  if (!recording.startTime) return undefined;
  const ageHours = (now.getTime() - recording.startTime.getTime()) / HOUR_MS;
  if (ageHours <= graceHours) return undefined;
  return {
    type: 'NotExported',
    key: `${recording.conversationId}/${recording.recordingId}`,
    detail: `Recording ${recording.recordingId} of conversation ${recording.conversationId} started ${recording.startTime.toISOString()}, ${Math.floor(ageHours)} hours before the run, and Genesys reports no exportedDate after the ${graceHours}-hour grace.`,
  };
}
