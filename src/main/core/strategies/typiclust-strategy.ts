import { TypiclustOrder } from '../selection/typiclust-order';
import type { StrategyDefinition } from './strategy';
import { typiclustBatchSizes, typiclustOrder } from './typiclust';

/** TypiClust (Hacohen et al. 2022): a batch at a time, the most typical sample of each uncovered cluster. */
export const typiclustStrategy: StrategyDefinition = {
  offlineOrder: (points, { limit, typiclustBatch, seed }) => typiclustOrder(points, typiclustBatchSizes(limit, typiclustBatch), { seed }),
  liveOrder: (view, { typiclust }) => new TypiclustOrder(view, typiclust),
};
