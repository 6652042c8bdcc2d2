import type { DistanceKernel } from './distance-kernel';

/**
 * The row farthest from the mean of the rows `include` accepts, −1 if none:
 * the first FPS pick. The answer is defined in float64: the mean is the
 * column sums (row by row in row order) over the count, and each row's
 * squared distance to it is summed over the columns in order, ties going to
 * the lowest row. At large N this is the first pick's whole cost, two reads
 * of the matrix, so neither read is done in JavaScript:
 *
 * - the column sums are the kernel's addColumnSums (the same float64
 *   additions in the same order, in WebAssembly SIMD lanes), over each run
 *   of included rows;
 * - every row's distance to the mean rounded to float32 is one streamed
 *   float32 step (the kernel's pointStep, split over two threads where
 *   updateAll is), which ranks the rows only approximately;
 * - the rows whose float32 distance comes within a proven error bound of the
 *   largest (candidateFloor) are the only ones that can hold the float64
 *   maximum; they get the float64 distance, and the largest of those, lowest
 *   row first, is the answer: the same row, bit for bit, as computing the
 *   float64 distance of every row. Where the float32 step overflows (or meets
 *   a NaN) every included row gets the float64 distance.
 *
 * Uses the kernel's listOut as scratch; include may read anything else.
 */
export function farthestFromMean(kernel: DistanceKernel, include: (row: number) => boolean): number {
  const { dim, count, listOut } = kernel;
  const sums = new Float64Array(dim);
  let n = 0;
  let runStart = -1;
  for (let i = 0; i < count; i++) {
    if (include(i)) {
      listOut[i] = Infinity;
      n++;
      if (runStart < 0) runStart = i;
    } else {
      listOut[i] = -1;
      if (runStart >= 0) kernel.addColumnSums(runStart, i, sums);
      runStart = -1;
    }
  }
  if (runStart >= 0) kernel.addColumnSums(runStart, count, sums);
  if (n === 0) return -1;
  const mean = sums.map((s) => s / n);
  const point = Float32Array.from(mean);
  let gap = 0;
  for (let k = 0; k < dim; k++) {
    const t = mean[k]! - point[k]!;
    gap += t * t;
  }
  const top = kernel.pointStep(point);
  const floor = candidateFloor(listOut[top]!, Math.sqrt(gap), dim);
  let best = -1;
  let bestRow = -1;
  for (let i = 0; i < count; i++) {
    // Included rows hold a float32 distance ≥ 0 (Infinity where it overflowed); the others −1.
    if (!(listOut[i]! >= floor && listOut[i]! >= 0)) continue;
    const s = meanDistance(kernel, i, mean);
    if (s > best) {
      best = s;
      bestRow = i;
    }
  }
  return bestRow;
}

/** γ_k of rounding-error analysis: the relative error bound of k roundings at unit roundoff u. */
function gamma(k: number, u: number): number {
  return (k * u) / (1 - k * u);
}

/**
 * The smallest float32 distance the float64 maximum's row can have, given
 * the largest float32 distance `largest` (to the mean rounded to float32,
 * at distance `shift` from the mean), −Infinity where every row must be
 * checked.
 *
 * Every float32 distance a is within a factor (1 ± γ32) of the exact squared
 * distance to the rounded mean (a sum of non-negative terms, each through at
 * most dim + 6 roundings), which is within `shift` of the exact distance to
 * the mean in square root; every float64 distance is within (1 ± γ64) of the
 * exact one. So with e the largest exact distance, √e ≥ √(largest/(1+γ32))
 * − shift; the float64 maximum's row has √e' ≥ √((1−γ64)/(1+γ64))·√e; and
 * its float32 distance is at least (1−γ32)·(√e' − shift)². Both γ are taken
 * twice over, as a margin for the rounding of this bound itself; the
 * absolute term covers float32 underflow (tiny distances lose their
 * relative accuracy there).
 */
function candidateFloor(largest: number, shift: number, dim: number): number {
  if (!Number.isFinite(largest)) return -Infinity;
  const g32 = 2 * gamma(dim + 6, 2 ** -24);
  const g64 = 2 * gamma(dim + 3, 2 ** -53);
  const margin = shift * (1 + g64);
  const root = Math.sqrt((1 - g64) / (1 + g64)) * (Math.sqrt(largest / (1 + g32)) - margin) - margin;
  if (!(root > 0)) return -Infinity;
  return (1 - g32) * root * root - dim * 2 ** -126;
}

/** A row's squared distance to the mean in float64, summed over the columns in order. */
function meanDistance(kernel: DistanceKernel, row: number, mean: Float64Array): number {
  const { vectors: x, dim } = kernel;
  const o = kernel.vectorOffset(row);
  let s = 0;
  for (let k = 0; k < dim; k++) {
    const t = x[o + k]! - mean[k]!;
    s += t * t;
  }
  return s;
}
