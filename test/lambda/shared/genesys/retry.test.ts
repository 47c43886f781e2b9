import {
  callDeadline,
  DEFAULT_RETRY_POLICY,
  fitsDeadline,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from '../../../../lambda/shared/genesys/retry';

const policy = { baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10_000, attemptTimeoutMs: 2000, unreachableAttempts: 2 };

test('429 and 5xx are retried; other statuses are answers', () => {
  expect([429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
  expect([200, 400, 401, 404, 409].map(isRetryableStatus)).toEqual([false, false, false, false, false]);
});

test('Retry-After is read as delta seconds or an HTTP date', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  expect(parseRetryAfter('3', now)).toBe(3000);
  expect(parseRetryAfter('0.5', now)).toBe(500);
  expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5000);
  expect(parseRetryAfter('Mon, 23 Nov 2026 11:59:00 GMT', now)).toBe(0);
  expect(parseRetryAfter(null, now)).toBeUndefined();
  expect(parseRetryAfter('soon', now)).toBeUndefined();
});

test('Retry-After is honored exactly; otherwise full jitter under an exponential, capped ceiling', () => {
  expect(retryDelayMs(policy, 0, 3000, () => 0.5)).toBe(3000);
  expect(retryDelayMs(policy, 0, undefined, () => 0.999)).toBe(99);
  expect(retryDelayMs(policy, 3, undefined, () => 0.5)).toBe(400);
  expect(retryDelayMs(policy, 10, undefined, () => 0.999)).toBe(999);
  expect(retryDelayMs(policy, 2, undefined, () => 0)).toBe(0);
});

test('Retry-After of 0 or a past date is raised to a jittered floor that grows with the attempt', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  expect(retryDelayMs(policy, 0, 0, () => 0)).toBe(50);
  expect(retryDelayMs(policy, 0, 0, () => 0.999)).toBe(99);
  expect(retryDelayMs(policy, 3, parseRetryAfter('Mon, 23 Nov 2026 11:59:00 GMT', now), () => 0)).toBe(400);
  expect(retryDelayMs(policy, 10, parseRetryAfter('0', now), () => 0.5)).toBe(750);
  // A Retry-After above the floor is still honored exactly.
  expect(retryDelayMs(policy, 0, 51, () => 0)).toBe(51);
});

test('a retry is made only when the wait and one more attempt end before the deadline', () => {
  expect(fitsDeadline(policy, 7000, 1000, 10_000)).toBe(true);
  expect(fitsDeadline(policy, 7000, 1001, 10_000)).toBe(false);
});

test("a call's deadline is its own budget, or the client's total budget when that ends first", () => {
  expect(callDeadline(policy, 5000, 0)).toBe(15_000);
  expect(callDeadline({ ...policy, totalBudgetMs: 12_000 }, 5000, 0)).toBe(12_000);
  expect(callDeadline({ ...policy, totalBudgetMs: 60_000 }, 5000, 0)).toBe(15_000);
});

test('the default per-call budget is a minute', () => {
  expect(DEFAULT_RETRY_POLICY.budgetMs).toBe(60_000);
});
