import type { StrategyName } from '../../../shared/strategy-names';
import type { Points } from '../evaluation/points';
import type { LiveOrder, PoolView } from '../selection/live-order';
import { autoStrategy } from './auto-strategy';
import { fpsDenseStrategy } from './fps-dense-strategy';
import { fpsStrategy } from './fps-strategy';
import { probcoverStrategy } from './probcover-strategy';
import { randomStrategy } from './random-strategy';
import type { LiveOrderSettings, OrderRequest, StrategyDefinition } from './strategy';
import { typiclustStrategy } from './typiclust-strategy';

export type StrategyRegistry = Readonly<Record<string, StrategyDefinition>>;

/**
 * Every strategy's implementation, by name: one line per strategy. The type
 * requires an entry for each name of src/shared/strategy-catalog.ts (and no
 * other), so a strategy named there but not implemented does not compile.
 * The evaluation and the live queue reach strategies only through this.
 */
export const strategyRegistry: { readonly [K in StrategyName]: StrategyDefinition } = {
  fps: fpsStrategy,
  random: randomStrategy,
  typiclust: typiclustStrategy,
  'fps-dense': fpsDenseStrategy,
  probcover: probcoverStrategy,
  auto: autoStrategy,
};

/**
 * The order in which a strategy would have the pool labeled, starting with
 * nothing labeled: row indices of `points`, at most `limit` of them.
 * `registry` is the app's unless a caller (a test's toy strategy) passes one.
 */
export function strategyOrder(name: StrategyName, points: Points, request: OrderRequest, registry: StrategyRegistry = strategyRegistry): number[] {
  const definition = registry[name];
  if (!definition) throw new RangeError(`no strategy registered as '${name}'`);
  return definition.offlineOrder(points, { ...request, limit: Math.min(request.limit, points.count) });
}

/** The live orders of every strategy that has its own (all but QueueState's fps and random), built over one queue's pool. */
export function buildLiveOrders(view: PoolView, settings: LiveOrderSettings, registry: StrategyRegistry = strategyRegistry): Map<string, LiveOrder> {
  const orders = new Map<string, LiveOrder>();
  for (const [name, definition] of Object.entries(registry)) {
    if (definition.liveOrder !== 'queue-state') orders.set(name, definition.liveOrder(view, settings));
  }
  return orders;
}
