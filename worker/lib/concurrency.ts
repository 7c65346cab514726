/**
 * Runs `run` over `items` with at most `limit` calls in flight, in order of start: a small fixed
 * pool of runners, bounded concurrency without a dependency.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const runners = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  });
  await Promise.all(runners);
}
