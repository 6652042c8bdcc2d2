/**
 * Every selection strategy the queue and evaluation know, in the order the
 * UI lists them. The contract's schemas, the CLI's option check and the
 * domain type all derive from this one list, so a new strategy is named once.
 */
export const strategyNames = ['fps', 'random', 'typiclust', 'fps-dense', 'probcover', 'auto'] as const;

export type StrategyName = (typeof strategyNames)[number];

export function isStrategyName(value: string): value is StrategyName {
  return (strategyNames as readonly string[]).includes(value);
}
