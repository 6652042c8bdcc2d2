/** Atomics.waitAsync (Node ≥ 16) is not in the ES2023 library the project type-checks against. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** How often a wait looks at the slot itself while it also waits for the notify. */
const POLL_MS = 20;

/**
 * Resolves once `control[slot]` no longer holds `value`, without blocking
 * the thread (other events, a cancel request say, keep arriving).
 *
 * Atomics.waitAsync alone is not enough in Node: its promise is resolved by
 * a task V8 posts to the waiting thread, and nothing guarantees that task
 * wakes a thread whose event loop has nothing else to do (nodejs/node#44729,
 * #61941). Training with two threads hung for good that way in a benchmark,
 * twice in one run (the app's own timers and requests had hidden it). So a
 * ref'd timer also looks at the slot every POLL_MS: the notify still answers
 * at once when it is delivered; when it is lost, the wait ends within a poll.
 */
export async function waitForChange(control: Int32Array, slot: number, value: number, pollMs: number = POLL_MS): Promise<void> {
  if (Atomics.load(control, slot) !== value) return;
  const waited = waitAsync(control, slot, value);
  if (!waited.async) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve) => {
      void waited.value.then(() => resolve());
      const poll = () => {
        if (Atomics.load(control, slot) !== value) resolve();
        else timer = setTimeout(poll, pollMs);
      };
      timer = setTimeout(poll, pollMs);
    });
  } finally {
    clearTimeout(timer);
  }
}
