import { RetentionSettings } from './ctr';

/** Everything the tagging function reads from its environment. */
export interface TaggerSettings extends RetentionSettings {
  /** Records of one batch tagged at the same time. */
  readonly concurrency: number;
  /** Reads of a recording not yet in S3 before the record fails. */
  readonly missingObjectAttempts: number;
  /** First wait between those reads, doubled each time. */
  readonly missingObjectDelayMs: number;
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`The environment variable ${name} is not set.`);
  return value;
}

function positiveInteger(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`The environment variable ${name} must be a positive integer, not '${raw}'.`);
  }
  return value;
}

/**
 * Reads RETENTION_TAG_KEY, RETENTION_CLASSES (comma-separated), DEFAULT_RETENTION_CLASS,
 * TAG_CONCURRENCY, MISSING_OBJECT_ATTEMPTS and MISSING_OBJECT_DELAY_MS.
 */
export function readSettings(env: Readonly<Record<string, string | undefined>>): TaggerSettings {
  const classes = required(env, 'RETENTION_CLASSES')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const defaultClass = required(env, 'DEFAULT_RETENTION_CLASS');
  if (!classes.includes(defaultClass)) {
    throw new Error(
      `DEFAULT_RETENTION_CLASS '${defaultClass}' is not one of RETENTION_CLASSES (${classes.join(', ')}).`,
    );
  }
  return {
    tagKey: required(env, 'RETENTION_TAG_KEY'),
    classes,
    defaultClass,
    concurrency: positiveInteger(env, 'TAG_CONCURRENCY', 50),
    missingObjectAttempts: positiveInteger(env, 'MISSING_OBJECT_ATTEMPTS', 6),
    missingObjectDelayMs: positiveInteger(env, 'MISSING_OBJECT_DELAY_MS', 500),
  };
}

/** Reads LATE_RECORDING_HOURS: how long the retry consumer waits for a late recording (default 24). */
export function readLateRecordingHours(env: Readonly<Record<string, string | undefined>>): number {
  return positiveInteger(env, 'LATE_RECORDING_HOURS', 24);
}
