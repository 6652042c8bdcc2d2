import type { StrategyName } from '../../../shared/domain';
import type { Points } from '../points';
import { seededShuffle } from '../seeded-shuffle';
import { fpsDenseOrder } from './fps-dense';
import { furthestPointOrderFrom } from './fps-order';
import { autoOrder, probcoverOrder } from './probcover';
import { typiclustOrder } from './typiclust';

export { fpsDenseOrder, DEFAULT_DENSE_QUANTILE } from './fps-dense';
export { typiclustBatch, typiclustOrder } from './typiclust';
export { typicality } from './typicality';
export { autoOrder, coverOrder, probcoverOrder, AUTO_MIN_GAIN } from './probcover';
export { ballPurityRadius, DEFAULT_BALL_PURITY, DEFAULT_PURITY_CLUSTERS } from './ball-radius';
export { BallCover } from './ball-cover';

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
    case 'probcover':
      return probcoverOrder(points, { limit, seed: request.seed });
    case 'auto':
      return autoOrder(points, { limit, seed: request.seed });
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
