import type { AngleMode, EvaluationResults } from './domain';

/**
 * What an honest evaluation report needs besides the numbers: the error a
 * guess scores, when errors are too close to it to mean anything, and when
 * the repeats are too few for a spread or a "labels saved" claim.
 */

/** Mean angular error of a uniform random guess: a quarter of the period (90° full circle, 45° axial). */
export function chanceError(mode: AngleMode): number {
  return mode === 'axial' ? 45 : 90;
}

/** Share of chance at or above which an error says the model learned (next to) nothing. */
export const NEAR_CHANCE_SHARE = 0.75;

/** True when even the lowest error is within reach of guessing. */
export function nearChance(lowestError: number, mode: AngleMode): boolean {
  return lowestError >= NEAR_CHANCE_SHARE * chanceError(mode);
}

/** A spread over repeats and a labels-saved verdict need at least this many repeats. */
export const MIN_REPEATS_FOR_SPREAD = 2;

/**
 * The training pool an evaluation of `labeled` samples leaves with a test
 * fraction (as the split rounds it: at least one test sample, at least one
 * training sample). A grouped split can hold out a little more or less, and
 * less again where groups too large to hold out stay in the pool, so budgets
 * refused here would sometimes have fitted: the refusal errs on the safe side.
 */
export function expectedPool(labeled: number, testFraction: number): number {
  if (labeled < 2) return 0;
  const test = Math.min(labeled - 1, Math.max(1, Math.round(labeled * testFraction)));
  return labeled - test;
}

/** The refusal for budgets above the pool, or null when every budget fits. */
export function budgetsAbovePool(budgets: readonly number[], labeled: number, testFraction: number): string | null {
  const pool = expectedPool(labeled, testFraction);
  const above = budgets.filter((b) => b > pool);
  if (above.length === 0) return null;
  return (
    `budget${above.length === 1 ? '' : 's'} ${above.join(', ')} exceed${above.length === 1 ? 's' : ''} the training pool: ` +
    `${labeled} labeled, embedded samples less the ${Math.round(testFraction * 100)}% test split leave ${pool} to train on; ` +
    `use budgets up to ${pool}, or label more samples`
  );
}

/** The near-chance warning in words, or null: when even the lowest mean error is close to what guessing scores. */
export function nearChanceWarning(r: EvaluationResults, mode: AngleMode): string | null {
  const errors = r.curves.flatMap((c) => c.points.filter((p) => !p.skipped && p.plain !== null).map((p) => p.plain!.mean));
  if (errors.length === 0) return null;
  const lowest = Math.min(...errors);
  if (!nearChance(lowest, mode)) return null;
  return (
    `every error is near chance (lowest ${lowest.toFixed(1)}°; a random guess scores ${chanceError(mode)}°): the orientation model ` +
    'has not learned from these labels, so this run cannot tell the strategies apart (more labels, more steps or a larger input may help)'
  );
}
