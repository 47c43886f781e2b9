import type { RetagLocation } from './retag';

/** Reads RETAG_LOCATIONS: a JSON array of `{ bucket, prefix }`, Connect's recording prefixes. */
export function readRetagLocations(env: Readonly<Record<string, string | undefined>>): RetagLocation[] {
  const raw = env.RETAG_LOCATIONS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length > 0 &&
    parsed.every(
      (l: unknown) =>
        typeof l === 'object' &&
        l !== null &&
        typeof (l as RetagLocation).bucket === 'string' &&
        typeof (l as RetagLocation).prefix === 'string' &&
        (l as RetagLocation).prefix.endsWith('/'),
    );
  if (!valid)
    throw new Error(
      `The environment variable RETAG_LOCATIONS must be a JSON array of {"bucket","prefix"} with prefixes ending in '/', not '${raw ?? ''}'.`,
    );
  return (parsed as RetagLocation[]).map((l) => ({ bucket: l.bucket, prefix: l.prefix }));
}

/** Reads RETENTION_TAG_KEY (required). */
export function readRetagTagKey(env: Readonly<Record<string, string | undefined>>): string {
  const key = env.RETENTION_TAG_KEY?.trim();
  if (!key) throw new Error('The environment variable RETENTION_TAG_KEY is not set.');
  return key;
}
