import { seededRandom } from '../../core/random';
import type { Db } from '../../store/database';
import { activePixelSources, activeSampleIds, type PixelSourceRow } from '../../store/samples';
import { activeSamples } from './pixels';

/** The samples a run decodes and trains on, and how many active samples it drew them from. */
export interface TrainingSample {
  sources: PixelSourceRow[];
  /** The drawn ids when the pool is over the cap (recorded in checkpoints so a resumed run keeps them); null: every active sample. */
  drawnIds: number[] | null;
  pool: number;
}

/**
 * `cap` of `ids`, drawn at random by `seed`, ascending (the pixel cache and the files are then read in id order). A
 * partial Fisher–Yates shuffle: `cap` swaps on one copy of the ids, so drawing 20,000 of a million costs a 4 MB copy.
 * The same ids and seed give the same sample; the seed is mixed with a constant of its own so the sample is not
 * correlated with the validation split or the epochs' shuffles, which draw from the same seed.
 */
export function drawSample(ids: Int32Array, cap: number, seed: number): Int32Array {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`the training-sample cap must be a positive integer, got ${cap}`);
  if (ids.length <= cap) return ids.slice();
  const pool = ids.slice();
  const random = seededRandom(seed ^ 0x51a7e5ed);
  for (let i = 0; i < cap; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.subarray(0, cap).sort();
}

/**
 * What training decodes: every active sample up to `cap` of them; above it, a seeded sample of `cap`. A resumed run
 * passes the ids its checkpoint recorded and trains on those of them still active, whatever was imported since.
 */
export function trainingSample(db: Db, cap: number, seed: number, recorded?: readonly number[]): TrainingSample {
  const all = activeSampleIds(db);
  if (recorded) return { sources: activePixelSources(db, recorded), drawnIds: [...recorded], pool: all.length };
  if (all.length <= cap) return { sources: activeSamples(db), drawnIds: null, pool: all.length };
  const drawn = drawSample(all, cap, seed);
  return { sources: activePixelSources(db, drawn), drawnIds: Array.from(drawn), pool: all.length };
}
