import { angularDifference } from '../../../shared/angles';
import type { AngleMode } from '../../../shared/domain';

/** Orientation errors in degrees on the circle (half circle for axial projects). */

export interface AngularErrorSummary {
  count: number;
  /** Mean absolute angular error, degrees. */
  mean: number;
  /** Median absolute angular error, degrees. */
  median: number;
  /** Share of samples within 5° (0..1). */
  within5: number;
  /** Share of samples within 10° (0..1). */
  within10: number;
}

/** Per-sample absolute angular errors: 359° against 1° is 2°, not 358°. */
export function angularErrors(predicted: ArrayLike<number>, truth: ArrayLike<number>, mode: AngleMode): Float64Array {
  if (predicted.length !== truth.length) throw new Error(`angularErrors: ${predicted.length} predictions for ${truth.length} true angles`);
  const errors = new Float64Array(predicted.length);
  for (let i = 0; i < errors.length; i++) errors[i] = angularDifference(predicted[i]!, truth[i]!, mode);
  return errors;
}

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample standard deviation (n − 1); 0 for a single value, so one repeat shows no band rather than NaN. */
export function standardDeviation(values: ArrayLike<number>): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}

export function summarizeErrors(errors: ArrayLike<number>): AngularErrorSummary {
  let within5 = 0;
  let within10 = 0;
  for (let i = 0; i < errors.length; i++) {
    if (errors[i]! <= 5) within5++;
    if (errors[i]! <= 10) within10++;
  }
  const n = errors.length;
  return { count: n, mean: mean(errors), median: median(errors), within5: n ? within5 / n : NaN, within10: n ? within10 / n : NaN };
}

/**
 * Balanced error: the mean over groups of each group's mean error, so a rare
 * kind of object counts as much as a common one. Groups with no test sample
 * do not take part.
 */
export function balancedMeanError(errors: ArrayLike<number>, groups: ArrayLike<number | string>): number {
  if (errors.length !== groups.length) throw new Error(`balancedMeanError: ${errors.length} errors for ${groups.length} group labels`);
  const sums = new Map<number | string, { sum: number; n: number }>();
  for (let i = 0; i < errors.length; i++) {
    const g = sums.get(groups[i]!) ?? { sum: 0, n: 0 };
    g.sum += errors[i]!;
    g.n++;
    sums.set(groups[i]!, g);
  }
  if (sums.size === 0) return NaN;
  let total = 0;
  for (const g of sums.values()) total += g.sum / g.n;
  return total / sums.size;
}
