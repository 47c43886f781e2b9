import * as z from '../shared/zod';
import { GenesysClient } from '../shared/genesys/client';
import { RECORDING_PATHS } from '../shared/genesys/wire';
import {
  DEFAULT_EXPORT_COVERAGE,
  ExportCoverage,
  UnexportedRecording,
  conversationFacts,
  coveredByPolicy,
} from './not-exported';
import { ExportedRecording, ExportedRecordingSource } from './run';

/** Conversations per analytics page (the API's maximum). */
const PAGE_SIZE = 100;

const ConversationPageSchema = z.looseObject({
  conversations: z._default(
    z.array(
      z.looseObject({
        conversationId: z.string(),
        conversationStart: z.optional(z.string()),
        // What the export policy's conditions are evaluated on (not-exported.ts).
        originatingDirection: z.optional(z.string()),
        participants: z.optional(
          z.array(
            z.looseObject({
              sessions: z.optional(
                z.array(
                  z.looseObject({
                    mediaType: z.optional(z.string()),
                    segments: z.optional(
                      z.array(z.looseObject({ queueId: z.optional(z.string()), wrapUpCode: z.optional(z.string()) })),
                    ),
                  }),
                ),
              ),
            }),
          ),
        ),
      }),
    ),
    [],
  ),
  totalHits: z._default(z.number().check(z.int(), z.gte(0)), 0),
});

const RecordingMetadataSchema = z.array(
  z.looseObject({
    id: z.string(),
    conversationId: z.optional(z.string()),
    startTime: z.optional(z.string()),
    exportedDate: z.optional(z.string()),
  }),
);

const date = (value: string | undefined) => {
  const parsed = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
};

/** `<page>` or `<page>:<conversation index>`: the analytics page and the first conversation of it not yet read. */
function parseCursor(cursor: string | undefined): { page: number; conversation: number } {
  if (cursor === undefined) return { page: 1, conversation: 0 };
  const match = /^([1-9]\d*)(?::(\d+))?$/.exec(cursor);
  if (!match)
    throw new Error(`The Genesys cursor '${cursor}' is not a page number with an optional conversation index.`);
  return { page: Number(match[1]), conversation: Number(match[2] ?? 0) };
}

/**
 * Recordings Genesys reports as exported, through the rate-limit-aware client: one analytics
 * page of conversations that started in the window, then each conversation's recording
 * metadata, one call at a time so the org's rate limit is shared politely; a recording counts
 * when its `exportedDate` falls in the window. A page is up to 101 calls, so the source checks
 * `timeLeft` before each conversation and, when time is short, ends the page there with a
 * cursor at that conversation (`<page>:<index>`; the page is queried again on resume). A call
 * that fails once time is short (the client's total budget ends with the invocation's time) is
 * treated the same way; with time left, a failure stays a failure.
 *
 * Recordings without `exportedDate` of conversations the export policy covers (`coverage`,
 * judged on the analytics conversation by {@link coveredByPolicy}) are returned as `unexported`,
 * for the NotExported check.
 */
export function genesysExportSource(
  client: GenesysClient,
  coverage: ExportCoverage = DEFAULT_EXPORT_COVERAGE,
): ExportedRecordingSource {
  return {
    async page(window, cursor, options = {}) {
      const timeLeft = options.timeLeft ?? (() => true);
      const at = parseCursor(cursor);
      const stopAt = (conversation: number) => ({ recordings, unexported, nextCursor: `${at.page}:${conversation}` });
      const recordings: ExportedRecording[] = [];
      const unexported: UnexportedRecording[] = [];
      let page: z.infer<typeof ConversationPageSchema>;
      try {
        page = await client.request('POST', RECORDING_PATHS.conversationDetailsQuery, ConversationPageSchema, {
          body: {
            interval: `${window.since.toISOString()}/${window.until.toISOString()}`,
            order: 'asc',
            orderBy: 'conversationStart',
            paging: { pageSize: PAGE_SIZE, pageNumber: at.page },
          },
        });
      } catch (error) {
        if (!timeLeft()) return stopAt(at.conversation);
        throw error;
      }
      for (let i = at.conversation; i < page.conversations.length; i++) {
        if (!timeLeft()) return stopAt(i);
        const conversation = page.conversations[i];
        let metadata: z.infer<typeof RecordingMetadataSchema>;
        try {
          metadata = await client.request(
            'GET',
            RECORDING_PATHS.recordingMetadata(conversation.conversationId),
            RecordingMetadataSchema,
          );
        } catch (error) {
          if (!timeLeft()) return stopAt(i);
          throw error;
        }
        const covered = coveredByPolicy(conversationFacts(conversation), coverage);
        for (const recording of metadata) {
          const exportedDate = date(recording.exportedDate);
          const startTime = date(recording.startTime) ?? date(conversation.conversationStart);
          if (!exportedDate) {
            if (covered)
              unexported.push({ conversationId: conversation.conversationId, recordingId: recording.id, startTime });
            continue;
          }
          if (exportedDate < window.since) continue;
          recordings.push({
            conversationId: conversation.conversationId,
            recordingId: recording.id,
            exportedDate,
            startTime,
          });
        }
      }
      const more = at.page * PAGE_SIZE < page.totalHits && page.conversations.length > 0;
      return { recordings, unexported, nextCursor: more ? String(at.page + 1) : undefined };
    },
  };
}
