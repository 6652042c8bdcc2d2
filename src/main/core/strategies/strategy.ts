import type { Points } from '../evaluation/points';
import type { LiveOrder, PoolView } from '../selection/live-order';
import type { TypiclustConfig } from '../selection/typiclust-order';

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

/** What the live queue hands every strategy's order when it builds it. */
export interface LiveOrderSettings {
  /** The project's seed (k-means starts, ball radii). */
  seed: number;
  /** TypiClust's batch size and its stored current batch. */
  typiclust: TypiclustConfig;
}

/**
 * One selection strategy's implementation, registered under its name in
 * registry.ts (its label, description and plot colour live in
 * src/shared/strategy-catalog.ts, where the renderer can read them).
 */
export interface StrategyDefinition {
  /**
   * The order in which the strategy would have the pool labeled, starting
   * with nothing labeled: row indices of `points`, at most `limit` of them
   * (`limit` is already capped at `points.count`). The evaluation's learning
   * curves train on its prefixes.
   */
  offlineOrder(points: Points, request: OrderRequest & { limit: number }): number[];
  /**
   * The labeling queue's order, kept live as labels arrive (a LiveOrder over
   * the queue's pool). 'queue-state': the order QueueState keeps itself, for
   * fps (the furthest-point base every other order continues from) and
   * random (the seeded permutation, the baseline).
   */
  liveOrder: ((view: PoolView, settings: LiveOrderSettings) => LiveOrder) | 'queue-state';
}
