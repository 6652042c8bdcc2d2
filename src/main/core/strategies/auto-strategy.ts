import { CoverQueueOrder } from '../selection/cover-order';
import { AUTO_MIN_GAIN, autoOrder } from './probcover';
import type { StrategyDefinition } from './strategy';

/** ProbCover while a pick still represents other samples (gain of AUTO_MIN_GAIN or more), then furthest-point novelty. */
export const autoStrategy: StrategyDefinition = {
  offlineOrder: (points, { limit, seed }) => autoOrder(points, { limit, seed }),
  liveOrder: (view, { seed }) => new CoverQueueOrder(view, AUTO_MIN_GAIN, seed),
};
