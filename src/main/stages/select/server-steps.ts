/** Distance evaluations per step of the server's work on a large pool (settling labeled centers, the coverage curve). */
const STEP_EVALUATIONS = 4_000_000;

/** FPS insertions or picks per step of that work over `rows` rows (each is one distance per row): at most 16, fewer as the pool grows. */
export function insertionsPerStep(rows: number): number {
  return Math.min(16, Math.max(1, Math.floor(STEP_EVALUATIONS / rows)));
}

/** Runs a computation in steps: at once, or one step per turn of the event loop so other requests run between them. */
export async function runSteps<T>(steps: Generator<void, T, void>, yielding: boolean): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (yielding) await new Promise((resolve) => setImmediate(resolve));
  }
}
