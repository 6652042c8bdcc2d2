import type { StrategyName } from '../../../shared/domain';
import type { Points } from '../evaluation/points';
import { seededShuffle } from '../evaluation/seeded-shuffle';
import { fpsDenseOrder } from './fps-dense';
import { furthestPointOrderFrom } from './fps-order';
import { autoOrder, probcoverOrder } from './probcover';
import { typiclustBatchSizes, typiclustOrder } from './typiclust';

export { fpsDenseOrder, DEFAULT_DENSE_QUANTILE } from './fps-dense';
export { typiclustBatch, typiclustBatchSizes, typiclustOrder, DEFAULT_TYPICLUST_BATCH } from './typiclust';
export { exactTypicality, knnTypicality, typicality, TYPICALITY_EXACT_LIMIT, TYPICALITY_HNSW, TYPICALITY_NEIGHBOURS } from './typicality';
export { autoOrder, coverOrder, probcoverOrder, AUTO_MIN_GAIN } from './probcover';
export { ballPurityRadius, DEFAULT_BALL_PURITY, DEFAULT_PURITY_CLUSTERS } from './ball-radius';
export { BallCover } from './ball-cover';
export { coverBalls, COVER_SAMPLE_LIMIT } from './cover-balls';

export interface OrderRequest {
  /** How many rows of the order are needed (the largest budget). */
  limit: number;
  /** The budgets in increasing order (kept for callers; no strategy's order depends on them). */
  budgets: readonly number[];
  /** TypiClust's batch: the project's, so the order is the queue's (default DEFAULT_TYPICLUST_BATCH). */
  typiclustBatch?: number;
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
    case 'typiclust':
      return typiclustOrder(points, typiclustBatchSizes(limit, request.typiclustBatch), { seed: request.seed });
  }
}
