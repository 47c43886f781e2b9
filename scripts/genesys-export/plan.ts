import type { RecordingJob } from '../../lambda/shared/genesys/client';
import {
  CONVERSATION_ID_DIMENSION,
  JOB_ACTION_EXPORT,
  JOB_STATE,
  Models,
  RecordingJobBody,
} from '../../lambda/shared/genesys/wire';

const DAY_MS = 86_400_000;

/** One UTC day of the range: one job each, so a job stays small and a re-run resumes by day. */
export interface DaySlice {
  /** `YYYY-MM-DD`. */
  readonly day: string;
  /** ISO 8601 interval `start/end` of the day. */
  readonly interval: string;
}

/** Parses `YYYY-MM-DD` as a UTC day; undefined when it is not a real date. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms;
}

/** The days from `from` to `to`, both included. */
export function daySlices(fromMs: number, toMs: number): DaySlice[] {
  const slices: DaySlice[] = [];
  for (let t = fromMs; t <= toMs; t += DAY_MS) {
    slices.push({
      day: new Date(t).toISOString().slice(0, 10),
      interval: `${new Date(t).toISOString()}/${new Date(t + DAY_MS).toISOString()}`,
    });
  }
  return slices;
}

/** The body of one export job (SDK model RecordingJobsQuery). */
export function exportJobBody(
  slice: DaySlice,
  options: {
    readonly integrationId: string;
    readonly includeScreenRecordings: boolean;
    readonly conversationId?: string;
    readonly now: Date;
  },
): RecordingJobBody {
  const conversationFilters: Models.ConversationDetailQueryFilter[] | undefined = options.conversationId
    ? [{ type: 'and', predicates: [{ dimension: CONVERSATION_ID_DIMENSION, value: options.conversationId }] }]
    : undefined;
  return {
    action: JOB_ACTION_EXPORT,
    // When the action applies: now (an export copies; whether Genesys requires this field for EXPORT is not documented).
    actionDate: options.now.toISOString(),
    integrationId: options.integrationId,
    includeScreenRecordings: options.includeScreenRecordings,
    conversationQuery: { interval: slice.interval, ...(conversationFilters ? { conversationFilters } : {}) },
  };
}

/** What to do with one day: create its job, carry on with an unfinished one, or nothing (done earlier). */
export type SliceStep =
  | { readonly kind: 'create'; readonly slice: DaySlice }
  | { readonly kind: 'resume'; readonly slice: DaySlice; readonly job: RecordingJob }
  | { readonly kind: 'done'; readonly slice: DaySlice; readonly job: RecordingJob };

const UNFINISHED = new Set<string>([JOB_STATE.pending, JOB_STATE.ready, JOB_STATE.processing]);

/**
 * Matches the client's own export jobs (listed with `showOnlyMyJobs`) to the days by integration,
 * interval and conversation filter: an unfinished job is resumed, a FULFILLED one counts as done,
 * a FAILED or CANCELLED one is replaced by a new job.
 */
export function planSlices(
  slices: readonly DaySlice[],
  ownJobs: readonly RecordingJob[],
  integrationId: string,
  conversationId?: string,
): SliceStep[] {
  return slices.map((slice) => {
    const mine = ownJobs.filter((job) => {
      const query = job.recordingJobsQuery;
      if (query?.integrationId !== integrationId || query.conversationQuery?.interval !== slice.interval) return false;
      const filters = JSON.stringify(
        (query.conversationQuery as { conversationFilters?: unknown }).conversationFilters ?? [],
      );
      return conversationId ? filters.includes(JSON.stringify(conversationId)) : filters === '[]';
    });
    const unfinished = mine.find((job) => UNFINISHED.has(job.state));
    if (unfinished) return { kind: 'resume', slice, job: unfinished };
    const fulfilled = mine.find((job) => job.state === JOB_STATE.fulfilled);
    if (fulfilled) return { kind: 'done', slice, job: fulfilled };
    return { kind: 'create', slice };
  });
}
