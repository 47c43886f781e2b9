import { createLimit } from '../../../lambda/shared/limit';

test('never runs more tasks at once than the limit, and runs them all', async () => {
  const limit = createLimit(3);
  let running = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      limit(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running -= 1;
        return i;
      }),
    ),
  );
  expect(peak).toBe(3);
  expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
});

test('a failing task frees its slot', async () => {
  const limit = createLimit(1);
  await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  await expect(limit(() => Promise.resolve('next'))).resolves.toBe('next');
});

test('refuses a limit below one', () => {
  expect(() => createLimit(0)).toThrow('Concurrency must be a positive integer, not 0.');
});

test('waiters get freed slots in arrival order, and a newcomer queues behind them', async () => {
  const limit = createLimit(1);
  let running = 0;
  let peak = 0;
  const order: string[] = [];
  const task = (name: string) => async () => {
    running += 1;
    peak = Math.max(peak, running);
    order.push(name);
    await Promise.resolve();
    running -= 1;
  };
  const first = limit(task('first'));
  const waiter = limit(task('waiter'));
  // The newcomer arrives as soon as the first task has finished.
  const newcomer = first.then(() => limit(task('newcomer')));
  await Promise.all([first, waiter, newcomer]);
  expect(peak).toBe(1);
  expect(order).toEqual(['first', 'waiter', 'newcomer']);
});
