/**
 * Runs `task` after every earlier task that shares one of `keys` has settled, whatever its
 * outcome; tasks with no key in common do not wait for each other. Returns what `task` returns.
 */
export type Sequencer = <T>(keys: readonly string[], task: () => Promise<T>) => Promise<T>;

/**
 * A per-key ordering gate: tasks are ordered by the moment they are handed to it, so calling it
 * in stream order keeps records of the same contact or object in stream order. A key is forgotten
 * once its last task settles, so the gate holds nothing between batches.
 */
export function createSequencer(): Sequencer {
  const tails = new Map<string, Promise<void>>();
  return <T>(keys: readonly string[], task: () => Promise<T>): Promise<T> => {
    const own = [...new Set(keys)];
    const before: Array<Promise<void>> = [];
    for (const key of own) {
      const tail = tails.get(key);
      if (tail) before.push(tail);
    }
    const run = before.length === 0 ? task() : Promise.all(before).then(task);
    const forget = (): void => {
      for (const key of own) if (tails.get(key) === done) tails.delete(key);
    };
    const done: Promise<void> = run.then(forget, forget);
    for (const key of own) tails.set(key, done);
    return run;
  };
}
