import type { DistanceKernel } from './distance-kernel';

/**
 * The row farthest from the mean of the rows `include` accepts (float64; lowest row on ties), −1 if none.
 * Each pass walks the matrix in order with four columns per step (the same sums, term for term, as one
 * column at a time): at 1,000,000 × 64 this is the first pick's whole cost.
 */
export function farthestFromMean(kernel: DistanceKernel, include: (row: number) => boolean): number {
  const { vectors: x, dim, count } = kernel;
  const mean = new Float64Array(dim);
  const wide = dim - (dim % 4);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    n++;
    const o = kernel.vectorOffset(i);
    let k = 0;
    for (; k < wide; k += 4) {
      mean[k]! += x[o + k]!;
      mean[k + 1]! += x[o + k + 1]!;
      mean[k + 2]! += x[o + k + 2]!;
      mean[k + 3]! += x[o + k + 3]!;
    }
    for (; k < dim; k++) mean[k]! += x[o + k]!;
  }
  if (n === 0) return -1;
  for (let k = 0; k < dim; k++) mean[k]! /= n;
  let best = -1;
  let bestRow = -1;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    const o = kernel.vectorOffset(i);
    let s = 0;
    let k = 0;
    for (; k < wide; k += 4) {
      const t0 = x[o + k]! - mean[k]!;
      const t1 = x[o + k + 1]! - mean[k + 1]!;
      const t2 = x[o + k + 2]! - mean[k + 2]!;
      const t3 = x[o + k + 3]! - mean[k + 3]!;
      s = s + t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
    }
    for (; k < dim; k++) {
      const t = x[o + k]! - mean[k]!;
      s += t * t;
    }
    if (s > best) {
      best = s;
      bestRow = i;
    }
  }
  return bestRow;
}
