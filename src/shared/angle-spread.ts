import { angularDifference } from './angles';
import type { AngleMode } from './domain';

/** The angle a propagation would copy, against what is known of each member. */
export interface AngleSpread {
  /** Largest angular difference of a known member angle from `from`, degrees (0 with nothing known). */
  spread: number;
  /** Member angles it was measured over (labels and suggestions). */
  known: number;
}

/**
 * How far the cluster's known angles (its labels, else the model's
 * suggestions) lie from the angle about to be copied to all of them: the
 * worst error one propagation could store.
 */
export function angleSpread(from: number, known: readonly number[], mode: AngleMode): AngleSpread {
  let spread = 0;
  for (const angle of known) spread = Math.max(spread, angularDifference(from, angle, mode));
  return { spread, known: known.length };
}

/** Spread above which propagating asks first, unless the user sets another. */
export const DEFAULT_SPREAD_LIMIT = 5;
