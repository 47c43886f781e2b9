import { z } from 'zod';
import { GenesysClient } from '../shared/genesys/client';
import { RECORDING_PATHS } from '../shared/genesys/wire';
import { ExportedRecording, ExportedRecordingSource } from './run';

/** Conversations per analytics page (the API's maximum). */
const PAGE_SIZE = 100;

const ConversationPageSchema = z.looseObject({
  conversations: z.array(z.looseObject({ conversationId: z.string(), conversationStart: z.string().optional() })).default([]),
  totalHits: z.number().int().min(0).default(0),
});

const RecordingMetadataSchema = z.array(
  z.looseObject({
    id: z.string(),
    conversationId: z.string().optional(),
    startTime: z.string().optional(),
    exportedDate: z.string().optional(),
  }),
);

const date = (value: string | undefined) => {
  const parsed = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
};

/**
 * Recordings Genesys reports as exported, through the rate-limit-aware client: one analytics
 * page of conversations that started in the window (the cursor is the page number), then each
 * conversation's recording metadata, one call at a time so the org's rate limit is shared
 * politely; a recording counts when its `exportedDate` falls in the window.
 */
export function genesysExportSource(client: GenesysClient): ExportedRecordingSource {
  return {
    async page(window, cursor) {
      const pageNumber = cursor === undefined ? 1 : Number(cursor);
      const page = await client.request('POST', RECORDING_PATHS.conversationDetailsQuery, ConversationPageSchema, {
        body: {
          interval: `${window.since.toISOString()}/${window.until.toISOString()}`,
          order: 'asc',
          orderBy: 'conversationStart',
          paging: { pageSize: PAGE_SIZE, pageNumber },
        },
      });
      const recordings: ExportedRecording[] = [];
      for (const conversation of page.conversations) {
        const metadata = await client.request('GET', RECORDING_PATHS.recordingMetadata(conversation.conversationId), RecordingMetadataSchema);
        for (const recording of metadata) {
          const exportedDate = date(recording.exportedDate);
          if (!exportedDate || exportedDate < window.since) continue;
          recordings.push({
            conversationId: conversation.conversationId,
            recordingId: recording.id,
            exportedDate,
            startTime: date(recording.startTime) ?? date(conversation.conversationStart),
          });
        }
      }
      const more = pageNumber * PAGE_SIZE < page.totalHits && page.conversations.length > 0;
      return { recordings, nextCursor: more ? String(pageNumber + 1) : undefined };
    },
  };
}
