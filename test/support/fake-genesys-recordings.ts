import { randomUUID } from 'crypto';
import { FakeGenesys } from './fake-genesys';

/** Recording state the fake serves for day-2 operations; tests read and change it directly. */
export interface FakeRecordingState {
  /** Conversation id -> start time (ISO 8601, UTC): what conversation details answer. */
  readonly conversations: Map<string, { conversationStart: string; conversationEnd?: string }>;
  /** Conversations under deletion protection. */
  readonly protectedConversations: Set<string>;
  /** Conversations Genesys refuses to (un)protect, with the error code it answers for them. */
  readonly refuseProtection: Map<string, string>;
}

/**
 * Adds deletion protection (`PUT /api/v2/recordings/deletionprotection?protect=true|false` with
 * at most 100 ids, `POST` to list the protected ones of a set) and conversation details
 * (`GET /api/v2/analytics/conversations/{id}/details`) to a {@link FakeGenesys}. Its faults
 * (`inject`) apply to these routes like to the others.
 */
export function addRecordingRoutes(fake: FakeGenesys): FakeRecordingState {
  const state: FakeRecordingState = {
    conversations: new Map(),
    protectedConversations: new Set(),
    refuseProtection: new Map(),
  };
  const badRequest = (message: string) => ({
    status: 400,
    body: { status: 400, code: 'bad.request', message, contextId: randomUUID() },
  });
  const idsOf = (body: unknown): string[] | undefined => {
    const ids = (body as { conversationIds?: unknown })?.conversationIds;
    return Array.isArray(ids) && ids.every((i) => typeof i === 'string') ? ids : undefined;
  };

  fake.route('GET', '/api/v2/analytics/conversations/:id/details', (r) => {
    const c = state.conversations.get(r.params.id);
    if (!c)
      return {
        status: 404,
        body: { status: 404, code: 'not.found', message: `conversation ${r.params.id} not found` },
      };
    return { status: 200, body: { conversationId: r.params.id, ...c, participants: [] } };
  });
  fake.route('PUT', '/api/v2/recordings/deletionprotection', (r) => {
    const protect = r.query.get('protect');
    if (protect !== 'true' && protect !== 'false') return badRequest('protect must be true or false');
    const ids = idsOf(r.body);
    if (!ids || ids.length === 0) return badRequest('conversationIds is required');
    if (ids.length > 100) return badRequest(`conversationIds may hold at most 100 ids, got ${ids.length}`);
    const failedUpdates = [];
    for (const id of ids) {
      const refused = state.refuseProtection.get(id);
      if (refused) {
        failedUpdates.push({
          conversation: { id },
          errorCode: refused,
          errorMessage: `conversation ${id} cannot be updated`,
        });
      } else if (protect === 'true') state.protectedConversations.add(id);
      else state.protectedConversations.delete(id);
    }
    return { status: 200, body: { failedUpdates } };
  });
  fake.route('POST', '/api/v2/recordings/deletionprotection', (r) => {
    const ids = idsOf(r.body);
    if (!ids) return badRequest('conversationIds is required');
    if (ids.length > 100) return badRequest(`conversationIds may hold at most 100 ids, got ${ids.length}`);
    return {
      status: 200,
      body: ids
        .filter((id) => state.protectedConversations.has(id))
        .map((id) => ({ id, selfUri: `/api/v2/conversations/${id}` })),
    };
  });
  return state;
}
