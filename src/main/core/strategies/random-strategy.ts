import { seededShuffle } from '../evaluation/seeded-shuffle';
import type { StrategyDefinition } from './strategy';

/** The seeded random order, the baseline every other strategy is measured against; QueueState keeps its live permutation. */
export const randomStrategy: StrategyDefinition = {
  offlineOrder: (points, { limit, seed }) => seededShuffle(points.count, seed).slice(0, limit),
  liveOrder: 'queue-state',
};
