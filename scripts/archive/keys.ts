/** Where a Genesys conversation's objects live: `{prefix}{org}/year=/month=/day=/hour=/conversation_id={id}/` (UTC start). */
export function genesysConversationPrefix(
  recordingsPrefix: string,
  organizationId: string,
  conversationId: string,
  start: Date,
): string {
  if (Number.isNaN(start.getTime())) throw new Error(`The start time of conversation ${conversationId} is not a date.`);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${recordingsPrefix}${organizationId}/year=${start.getUTCFullYear()}/month=${two(start.getUTCMonth() + 1)}` +
    `/day=${two(start.getUTCDate())}/hour=${two(start.getUTCHours())}/conversation_id=${conversationId}/`
  );
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `1h`, `30m`, `2d`, `90s` or plain seconds, as seconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`${option} ${text} is not a duration; use a number with s, m, h or d such as 1h or 7d.`);
  const n = Number(m[1]);
  return n * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}
