import { furthestPointOrder } from '../selection/furthest-point-order';
import type { Points } from '../evaluation/points';

/**
 * Furthest-point order over `points`, continuing from the rows in `chosen`
 * (already labeled; not repeated in the result): the selection area's exact
 * greedy FPS, so the evaluation measures the very order the queue uses. With
 * nothing chosen it starts at the row farthest from the mean; ties go to the
 * lowest row.
 */
export function furthestPointOrderFrom(points: Points, chosen: readonly number[], limit: number = points.count): number[] {
  const want = Math.min(limit, points.count - chosen.length);
  if (want <= 0) return [];
  return Array.from(furthestPointOrder(points.vectors, points.dim, { seeds: chosen, limit: want }).order);
}
