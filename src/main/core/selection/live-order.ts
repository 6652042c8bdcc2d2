import type { DistanceKernel } from './distance-kernel';

/**
 * What a queue order reads of the live queue (QueueState): the matrix, which
 * rows are in the pool, and which are already "known" — labeled, skipped in
 * this session or moved to the front of the queue. Known rows are the
 * centers every order continues from, and never appear in the order itself.
 */
export interface PoolView {
  readonly kernel: DistanceKernel;
  inPool(row: number): boolean;
  isKnown(row: number): boolean;
}

export interface OrderedRow {
  row: number;
  /** Distance to the nearest known or earlier entry when it was placed (Infinity: nothing before it). */
  novelty: number;
}

/**
 * A strategy's order of the unknown pool rows, computed lazily as far as a
 * caller asks, and kept live: `known(row)` after a row became known (the
 * head, usually: then nothing is recomputed), `reset(poolChanged)` after
 * anything else (undo, exclusion, restore).
 */
export interface LiveOrder {
  /** Entries [offset, offset + limit) of the order, computing as many as that needs. */
  rows(offset: number, limit: number): OrderedRow[];
  /** 0-based position among the entries computed so far, or null (not queued, or not reached yet). */
  knownPosition(row: number): number | null;
  /** A row just became known (labeled, skipped or moved to the front). */
  known(row: number): void;
  /** Forget the computed order; `poolChanged` also drops what depends on the pool alone (density, clusters). */
  reset(poolChanged: boolean): void;
}

/** Rows of the pool in ascending order (ascending sample id: ties go to the lowest id). */
export function poolRows(view: PoolView): Int32Array {
  const n = view.kernel.count;
  const out: number[] = [];
  for (let r = 0; r < n; r++) if (view.inPool(r)) out.push(r);
  return Int32Array.from(out);
}
