import type { StrategyName } from '../../../shared/domain';
import type { Points } from '../evaluation/points';
import { seededShuffle } from '../evaluation/seeded-shuffle';
import { fpsDenseOrder } from './fps-dense';
import { furthestPointOrderFrom } from './fps-order';
import { typiclustOrder } from './typiclust';

export { fpsDenseOrder, DEFAULT_DENSE_QUANTILE } from './fps-dense';
export { typiclustBatch, typiclustOrder } from './typiclust';
export { typicality } from './typicality';

export interface OrderRequest {
  /** How many rows of the order are needed (the largest budget). */
  limit: number;
  /**
   * The budgets in increasing order. TypiClust chooses in batches (each batch
   * knowing the earlier ones are labeled), so its order depends on them; the
   * other strategies ignore them.
   */
  budgets: readonly number[];
  seed: number;
  denseQuantile?: number;
}

/**
 * The order in which a strategy would have the pool labeled, starting with
 * nothing labeled: row indices of `points`, at most `limit` of them.
 */
export function strategyOrder(name: StrategyName, points: Points, request: OrderRequest): number[] {
  const limit = Math.min(request.limit, points.count);
  switch (name) {
    case 'fps':
      return furthestPointOrderFrom(points, [], limit);
    case 'random':
      return seededShuffle(points.count, request.seed).slice(0, limit);
    case 'fps-dense':
      return fpsDenseOrder(points, { limit, quantile: request.denseQuantile });
    case 'typiclust': {
      const sizes: number[] = [];
      let previous = 0;
      for (const b of request.budgets) {
        const capped = Math.min(b, limit);
        if (capped > previous) sizes.push(capped - previous);
        previous = Math.max(previous, capped);
      }
      return typiclustOrder(points, sizes, { seed: request.seed });
    }
  }
}
