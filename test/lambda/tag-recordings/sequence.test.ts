import { createSequencer } from '../../../lambda/tag-recordings/sequence';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('tasks sharing a key run one after another in call order, even when an earlier one fails', async () => {
  const inOrder = createSequencer();
  const log: string[] = [];
  const step =
    (name: string, ms: number, fail = false) =>
    async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed.`);
      return name;
    };
  const results = await Promise.allSettled([
    inOrder(['contact:a'], step('a1', 20, true)),
    inOrder(['contact:b'], step('b1', 5)),
    // Shares only the object with a1's successor: waits for a2, and so for a1.
    inOrder(['contact:a', 'object:x'], step('a2', 1)),
    inOrder(['contact:c', 'object:x'], step('c1', 1)),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  expect(log).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2', 'start c1', 'end c1']);
});

test('forgets a key once its last task has settled', async () => {
  const inOrder = createSequencer();
  await inOrder(['contact:a'], () => sleep(1));
  let started = false;
  // Nothing is queued on contact:a any more, so the task starts at once.
  const next = inOrder(['contact:a'], async () => {
    started = true;
  });
  expect(started).toBe(true);
  await next;
});
