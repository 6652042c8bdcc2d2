import type { ErrorMetric, LabelsSaved, StrategyCurve, StrategyName } from '../../../shared/domain';

/**
 * For each strategy and metric, how many labels the strategy needs to match
 * random's mean error at the largest budget (the target), and how many that
 * saves. Between two evaluated budgets the learning curve is taken as linear
 * in the number of labels: a strategy above the target at 200 labels and
 * below it at 400 reaches it somewhere between, not only at 400, so it saves
 * something even when the largest budget is the first to reach the target.
 * Rounded up to whole labels.
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
      const reachedAt = labelsToReach(
        curve.points.filter((p) => !p.skipped && p[metric] !== null).map((p) => ({ budget: p.budget, error: p[metric]!.mean })),
        target,
      );
      out.push({ strategy: curve.strategy, metric, target, reachedAt, saved: reachedAt === null ? null : largestBudget - reachedAt });
    }
  }
  return out;
}

/** The first budget where the piecewise-linear curve (budgets ascending) meets `target`, rounded up; null if it never does. */
export function labelsToReach(curve: readonly { budget: number; error: number }[], target: number): number | null {
  for (let k = 0; k < curve.length; k++) {
    const here = curve[k]!;
    if (here.error > target) continue;
    const before = curve[k - 1];
    if (!before) return here.budget;
    const t = (before.error - target) / (before.error - here.error);
    return Math.min(here.budget, Math.ceil(before.budget + t * (here.budget - before.budget) - 1e-9));
  }
  return null;
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
