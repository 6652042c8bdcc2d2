import { strategyCatalog } from './strategy-catalog';

export type StrategyName = keyof typeof strategyCatalog;

/**
 * Every selection strategy the queue and evaluation know, in the order the
 * UI lists them: the keys of the strategy catalog (strategy-catalog.ts). The
 * contract's schemas, the CLI's option check and the domain type all derive
 * from it, so a new strategy is named once.
 */
export const strategyNames = Object.keys(strategyCatalog) as unknown as readonly [StrategyName, ...StrategyName[]];

export function isStrategyName(value: string): value is StrategyName {
  return Object.hasOwn(strategyCatalog, value);
}
