/**
 * Runs `work` over `items` with up to `inFlight` calls pending at once and
 * yields the results in the items' order. Keeping several files in flight
 * lets sharp's thread pool use every core while the caller (the main thread)
 * writes finished results to SQLite; yielding in order keeps the import
 * deterministic (the first of two identical files is the one imported).
 */
export async function* mapInOrder<T, R>(items: readonly T[], inFlight: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let started = 0;
  const startNext = () => {
    if (started >= items.length) return;
    const call = work(items[started++]!);
    // A rejection surfaces when its turn comes; until then it must not count as unhandled.
    call.catch(() => undefined);
    pending.push(call);
  };
  while (started < Math.min(inFlight, items.length)) startNext();
  while (pending.length > 0) {
    const result = await pending.shift()!;
    startNext();
    yield result;
  }
}
