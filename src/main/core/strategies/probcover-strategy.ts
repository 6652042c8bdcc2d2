import { CoverQueueOrder } from '../selection/cover-order';
import { probcoverOrder } from './probcover';
import type { StrategyDefinition } from './strategy';

/** ProbCover (Yehuda et al. 2022): each pick covers the most samples not yet within a ball of a labeled one. */
export const probcoverStrategy: StrategyDefinition = {
  offlineOrder: (points, { limit, seed }) => probcoverOrder(points, { limit, seed }),
  // A minimum gain of 1: covering any uncovered sample is worth a pick, until the pool is covered.
  liveOrder: (view, { seed }) => new CoverQueueOrder(view, 1, seed),
};
