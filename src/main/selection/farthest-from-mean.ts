import type { DistanceKernel } from './distance-kernel';

/** The row farthest from the mean of the rows `include` accepts (float64; lowest row on ties), −1 if none. */
export function farthestFromMean(kernel: DistanceKernel, include: (row: number) => boolean): number {
  const { vectors: x, dim, count } = kernel;
  const mean = new Float64Array(dim);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    n++;
    for (let k = 0, o = kernel.vectorOffset(i); k < dim; k++) mean[k]! += x[o + k]!;
  }
  if (n === 0) return -1;
  for (let k = 0; k < dim; k++) mean[k]! /= n;
  let best = -1;
  let bestRow = -1;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    let s = 0;
    for (let k = 0, o = kernel.vectorOffset(i); k < dim; k++) {
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
