import { FpsDenseOrder } from '../selection/fps-dense-order';
import { fpsDenseOrder } from './fps-dense';
import type { StrategyDefinition } from './strategy';

/** Furthest point over the dense part of the pool, outliers last: coverage without spending early labels on outliers. */
export const fpsDenseStrategy: StrategyDefinition = {
  offlineOrder: (points, { limit, denseQuantile }) => fpsDenseOrder(points, { limit, quantile: denseQuantile }),
  liveOrder: (view) => new FpsDenseOrder(view),
};
