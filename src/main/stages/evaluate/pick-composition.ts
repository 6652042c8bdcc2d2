import type { PickComposition, StrategyName } from '../../../shared/domain';

/**
 * How each strategy's first b picks are spread over the balanced error's
 * groups, next to the test split's spread. A strategy that beats random or
 * not usually says why here: furthest-point sampling, say, spends its first
 * labels on the rare, outlying groups while the test split is mostly the
 * common ones. `orders` hold row indices (of the same rows as `groups`).
 */
export function pickComposition(
  groups: readonly (string | number)[],
  testRows: readonly number[],
  orders: ReadonlyMap<StrategyName, readonly number[]>,
  budgets: readonly number[],
): PickComposition {
  const testShares = shares(groups, testRows);
  const names = [...testShares.keys()].sort((a, b) => testShares.get(b)! - testShares.get(a)! || a.localeCompare(b, 'en', { numeric: true }));
  // Groups no test row is in still show up when a strategy picks from them.
  for (const order of orders.values()) for (const r of order) if (!testShares.has(String(groups[r]))) names.push(String(groups[r]));
  const unique = [...new Set(names)];
  const picks: PickComposition['picks'] = [];
  for (const [strategy, order] of orders) {
    for (const budget of budgets) {
      if (budget > order.length) continue;
      const s = shares(groups, order.slice(0, budget));
      picks.push({ strategy, budget, shares: unique.map((g) => s.get(g) ?? 0) });
    }
  }
  return { groups: unique, test: unique.map((g) => testShares.get(g) ?? 0), picks };
}

function shares(groups: readonly (string | number)[], rows: readonly number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(String(groups[r]), (counts.get(String(groups[r])) ?? 0) + 1);
  for (const [g, n] of counts) counts.set(g, n / rows.length);
  return counts;
}
