import { availableParallelism } from 'node:os';

/** Training sets at least this large train on two threads: below it the second thread's start-up (about a second) is not repaid. */
export const TWO_THREAD_TRAIN_MIN_IMAGES = 256;

/**
 * How many threads train: 2 (data-parallel, half of every batch each) on the
 * wasm backend, which is single-threaded in Node, on a machine with two or
 * more cores and enough images; else 1. The native backend threads itself.
 * An explicit choice (option, else FARPOINT_TRAIN_THREADS=1|2) wins, but 2
 * still needs wasm. Both paths train the same model up to float32 rounding;
 * each is reproducible on its own, and the stored model records which ran.
 */
export function trainThreads(backend: string, images: number, requested?: 1 | 2, env: NodeJS.ProcessEnv = process.env): 1 | 2 {
  if (backend !== 'wasm') return 1;
  const forced = requested ?? (env.FARPOINT_TRAIN_THREADS?.trim() === '1' ? 1 : env.FARPOINT_TRAIN_THREADS?.trim() === '2' ? 2 : undefined);
  if (forced) return forced;
  return images >= TWO_THREAD_TRAIN_MIN_IMAGES && availableParallelism() >= 2 ? 2 : 1;
}
