/**
 * The largest elementwise difference between two float arrays and the
 * largest magnitude of the reference, for tolerance checks relative to the
 * reference's scale (tests compare `worst` with a share of `scale`).
 */
export function maxDifference(actual: ArrayLike<number>, reference: ArrayLike<number>): { worst: number; scale: number } {
  if (actual.length !== reference.length) throw new RangeError(`compared arrays differ in length: ${actual.length} vs ${reference.length}`);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return { worst, scale };
}
