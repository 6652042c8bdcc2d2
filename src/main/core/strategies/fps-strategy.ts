import { furthestPointOrderFrom } from './fps-order';
import type { StrategyDefinition } from './strategy';

/** Furthest-point sampling (the paper's novelty order): its live order is QueueState's base engine. */
export const fpsStrategy: StrategyDefinition = {
  offlineOrder: (points, { limit }) => furthestPointOrderFrom(points, [], limit),
  liveOrder: 'queue-state',
};
