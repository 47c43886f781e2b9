/** How the Genesys client retries: exponential backoff with full jitter, inside time budgets. */
export interface RetryPolicy {
  /** First backoff ceiling, doubled per attempt. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling. */
  readonly maxDelayMs: number;
  /** Time one call may take, retries and waits included. */
  readonly budgetMs: number;
  /** Time all calls of one client may take together (one Lambda invocation), or undefined for no limit. */
  readonly totalBudgetMs?: number;
  /** Time one HTTP attempt may take before it counts as a timeout. */
  readonly attemptTimeoutMs: number;
  /**
   * Attempts of one call, the first included, while the host cannot be reached at all (no DNS
   * name, connection refused, no route): a wrong `--base-url` or region fails in seconds, not
   * after the whole budget. One retry still covers a host that restarts.
   */
  readonly unreachableAttempts: number;
}

/** Defaults sized for a custom resource: a call gives up after 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 250,
  maxDelayMs: 8000,
  budgetMs: 60_000,
  attemptTimeoutMs: 10_000,
  unreachableAttempts: 2,
};

/** Connection errors that mean nobody answers at that name and port (a retry soon changes nothing). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** 429 (rate limit) and 5xx are worth another attempt; other statuses are answers. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * A request that is not idempotent (a POST that creates) is retried only after 429, which Genesys
 * answers without processing it: after a 5xx it may have landed, and repeating it would create a duplicate.
 */
export function isRetryableCreateStatus(status: number): boolean {
  return status === 429;
}

/**
 * Milliseconds to wait from `Retry-After` (delta seconds or an HTTP date), or undefined when the
 * header is absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Delay before retry number `attempt` (0 for the first retry): without `Retry-After`, a random
 * delay up to the exponential ceiling (full jitter). With it, the server's wait, but never less
 * than half the ceiling plus jitter: a `Retry-After: 0` (or a date in the past) still backs off,
 * so repeated 429s cannot spin through the budget.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  if (retryAfterMs === undefined) return Math.floor(random() * ceiling);
  const floor = Math.floor(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(retryAfterMs, floor);
}

/** When a call must end: its own budget, or the client's total budget when that ends first. */
export function callDeadline(policy: RetryPolicy, callStartedMs: number, clientCreatedMs: number): number {
  return Math.min(
    callStartedMs + policy.budgetMs,
    clientCreatedMs + (policy.totalBudgetMs ?? Number.POSITIVE_INFINITY),
  );
}

/** Whether a wait of `delayMs` still leaves room for one more attempt before the deadline. */
export function fitsDeadline(policy: RetryPolicy, nowMs: number, delayMs: number, deadlineMs: number): boolean {
  return nowMs + delayMs + policy.attemptTimeoutMs <= deadlineMs;
}
