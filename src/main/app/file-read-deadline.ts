import { FarpointError } from '../core/errors';

/**
 * Reads of image files with a deadline. A file on a dead network share (or a
 * FIFO that slipped past the type check) never answers, and whatever reads it
 * holds one of libuv's few pool threads until it does; were every request for
 * it to start another read, the pool would fill and every file read of the
 * server (its pages included) would wait behind them. So a read that outlives
 * its deadline answers 504 for itself, later requests for the same file are
 * refused at once while it is still stuck, concurrent requests for the same
 * thing share one read, and at most MAX_STUCK_FILES files may be stuck at a
 * time, which leaves the rest of the pool to everything else.
 */
export const MAX_STUCK_FILES = 2;
export const DEFAULT_READ_DEADLINE_MS = 30_000;

const inFlight = new Map<string, Promise<unknown>>();
const stuck = new Set<string>();

/**
 * Runs `work` (which reads `file`) unless that file is stuck, sharing it with
 * any request for the same `key` already running; rejects with a 504 naming
 * the file when it takes longer than `deadlineMs`.
 */
export async function readWithDeadline<T>(file: string, key: string, work: () => Promise<T>, deadlineMs = DEFAULT_READ_DEADLINE_MS): Promise<T> {
  if (stuck.has(file)) throw new FarpointError(`timed out reading ${file}: an earlier read of it has not returned (a hung disk or network share?)`, 504);
  let shared = inFlight.get(key) as Promise<T> | undefined;
  if (!shared) {
    if (stuck.size >= MAX_STUCK_FILES) throw new FarpointError(`not reading ${file}: reads of ${[...stuck].join(', ')} have not returned; other images wait until they do`, 503);
    shared = work();
    inFlight.set(key, shared);
    const settle = () => {
      inFlight.delete(key);
      stuck.delete(file);
    };
    shared.then(settle, settle);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stuck.add(file);
      reject(new FarpointError(`timed out reading ${file} after ${Math.round(deadlineMs / 1000)} s (a hung disk or network share?)`, 504));
    }, deadlineMs);
  });
  try {
    return await Promise.race([shared, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
