import type { ErrorMetric, LabelsSaved, StrategyCurve, StrategyName } from '../../../shared/domain';

/**
 * For each strategy and metric, the smallest budget whose mean error is at or
 * below random's mean error at the largest budget: how many labels the
 * strategy needs to match what random reaches with all of them.
 */
export function labelsSaved(curves: StrategyCurve[], largestBudget: number | null): LabelsSaved[] {
  const random = curves.find((c) => c.strategy === 'random');
  if (!random || largestBudget === null) return [];
  const out: LabelsSaved[] = [];
  for (const metric of ['plain', 'balanced'] as const) {
    const target = random.points.find((p) => p.budget === largestBudget)?.[metric]?.mean;
    if (target === undefined) continue;
    for (const curve of curves) {
      if (curve.strategy === 'random') continue;
      const reached = curve.points.find((p) => !p.skipped && p[metric] !== null && p[metric]!.mean <= target);
      out.push({
        strategy: curve.strategy,
        metric,
        target,
        reachedAt: reached?.budget ?? null,
        saved: reached ? largestBudget - reached.budget : null,
      });
    }
  }
  return out;
}

/** The strategy with the lowest error averaged over the evaluated budgets (area under its learning curve). */
export function bestStrategy(curves: StrategyCurve[], metric: ErrorMetric): StrategyName | null {
  let best: StrategyName | null = null;
  let bestArea = Infinity;
  for (const curve of curves) {
    const values = curve.points.filter((p) => !p.skipped && p[metric] !== null).map((p) => p[metric]!.mean);
    if (values.length === 0) continue;
    const area = values.reduce((a, b) => a + b, 0) / values.length;
    if (area < bestArea) {
      bestArea = area;
      best = curve.strategy;
    }
  }
  return best;
}
