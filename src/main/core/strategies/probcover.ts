import type { Points } from '../evaluation/points';
import { coverBalls, type CoverBallsOptions } from './cover-balls';
import { furthestPointOrderFrom } from './fps-order';

/**
 * Smallest gain for which `auto` still takes a representative pick: a ball
 * that covers the pick and at least one other uncovered sample. Below it a
 * pick represents only itself, and novelty (furthest point) orders the rest.
 */
export const AUTO_MIN_GAIN = 2;

export interface CoverOrderOptions extends CoverBallsOptions {
  /** Rows already labeled: their balls start covered, and they are not repeated. */
  known?: readonly number[];
  limit?: number;
}

/**
 * ProbCover (Yehuda, Dekel, Hacohen & Weinshall, NeurIPS 2022): greedy max
 * coverage of the pool by balls of the data-chosen radius (BallCover,
 * ballPurityRadius) until every row is covered, then — where the paper falls
 * back to random — furthest-point order from everything known and chosen, so
 * the rest of the queue still spreads out. With `minGain` 2 it is the hybrid
 * `auto`: representative picks while a pick still covers another sample, then
 * novelty. Row indices of `points`; exact and deterministic for a seed (above
 * COVER_SAMPLE_LIMIT rows the balls are a seeded sample's: see coverBalls).
 */
export function coverOrder(points: Points, options: CoverOrderOptions & { minGain?: number } = {}): number[] {
  const known = options.known ?? [];
  const want = Math.min(options.limit ?? points.count, points.count - new Set(known).size);
  if (want <= 0) return [];
  const { cover } = coverBalls(points, options);
  for (const r of known) cover.take(r);
  const order: number[] = [];
  while (order.length < want) {
    const row = cover.pick(options.minGain ?? 1);
    if (row === null) break;
    order.push(row);
  }
  if (order.length >= want) return order;
  return order.concat(furthestPointOrderFrom(points, [...known, ...order], want - order.length));
}

export function probcoverOrder(points: Points, options: CoverOrderOptions = {}): number[] {
  return coverOrder(points, { ...options, minGain: 1 });
}

export function autoOrder(points: Points, options: CoverOrderOptions = {}): number[] {
  return coverOrder(points, { ...options, minGain: AUTO_MIN_GAIN });
}
