/** Runs at most `concurrency` of the given tasks at a time; the rest wait in call order. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A bounded-concurrency gate. A finishing task hands its slot straight to the longest waiter, so
 * a newcomer can never take it in between and exceed the bound.
 */
export function createLimit(concurrency: number): Limit {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`Concurrency must be a positive integer, not ${concurrency}.`);
  }
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
