import * as z from './zod';

/** Parses an event at the edge; a malformed one fails with its first problem in one sentence. */
export function parseEvent<T>(schema: z.core.$ZodType<T>, event: unknown): T {
  const parsed = z.safeParse(schema, event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`The event is malformed at '${issue.path.join('.') || '(root)'}': ${issue.message}.`);
  }
  return parsed.data;
}
