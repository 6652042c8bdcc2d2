import type { DistanceKernel } from './distance-kernel';

/**
 * Static tight groups of rows for exact pruning in the FPS engine.
 *
 * Built once per kernel (per matrix) by a ball partition: a set is split in
 * two at the median of d²(i, p) − d²(i, q), where p is the row farthest from
 * the set's first row and q the row farthest from p (a projection on the
 * line p→q), until a set has at most `size` rows. Each group then gets a
 * reference row (the member nearest the group's float64 mean) and, for every
 * member, its distance to the reference; the group radius ρ is the largest.
 * Those distances are the kernel's own float32 distances (square-rooted in
 * float64), so the engine's pruning tests can bound the rounding.
 *
 * A second level joins runs of about √(groups) neighbouring groups into
 * super-groups with their own reference row and radius, so a new center is
 * measured against every super-group's reference but only against the group
 * references inside super-groups it may reach.
 *
 * Cost: about 3 distances per row per level (log2(N / size) levels) plus two
 * mean passes and two distances per row. The partition only affects speed,
 * never a result.
 */
export interface PointGroups {
  readonly size: number;
  readonly count: number;
  /** Members of group g are rows[start[g] .. start[g + 1]), ascending. */
  readonly start: Int32Array;
  readonly rows: Int32Array;
  /** Distance of rows[k] to its group's reference row. */
  readonly dref: Float64Array;
  readonly ref: Int32Array;
  /** Largest dref in the group. */
  readonly radius: Float64Array;
  /** Group of each row. */
  readonly groupOf: Int32Array;
  /** Second level: runs of neighbouring groups (in partition order) with their own reference row and radius over all their rows. */
  readonly superCount: number;
  /** Groups of super-group s are superStart[s] .. superStart[s + 1]). */
  readonly superStart: Int32Array;
  readonly superRef: Int32Array;
  readonly superRadius: Float64Array;
  /** Super-group of each group. */
  readonly superOf: Int32Array;
  /** Distances computed to build the groups. */
  readonly buildEvaluations: number;
  readonly buildMs: number;
}

const cache = new WeakMap<DistanceKernel, Map<number, PointGroups>>();

/** Default group size: about √N, between 8 and 32 rows (32 measured fastest at 100,000 × 64 latent-like; 64, 128, 256 slower). */
export function defaultGroupSize(count: number): number {
  return Math.max(8, Math.min(32, Math.round(Math.sqrt(count))));
}

/**
 * The groups of a kernel's matrix, built on first use and cached with the
 * kernel (the matrix must not change after the first engine is created on it).
 */
export function pointGroups(kernel: DistanceKernel, size = defaultGroupSize(kernel.count)): PointGroups {
  let bySize = cache.get(kernel);
  if (!bySize) cache.set(kernel, (bySize = new Map()));
  let groups = bySize.get(size);
  if (!groups) bySize.set(size, (groups = buildGroups(kernel, size)));
  return groups;
}

function buildGroups(kernel: DistanceKernel, size: number): PointGroups {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`group size must be a positive integer, got ${size}`);
  const t0 = performance.now();
  const n = kernel.count;
  const { listIndex, listOut } = kernel;
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  const keys = new Float64Array(n);
  const bounds: number[] = [];
  let evaluations = 0;
  const stack: number[] = n > 0 ? [0, n] : [];
  const farthest = (center: number, lo: number, m: number): number => {
    kernel.distancesToList(center, m);
    evaluations += m;
    let best = -1;
    let at = lo;
    for (let j = 0; j < m; j++) {
      if (listOut[j]! > best) {
        best = listOut[j]!;
        at = lo + j;
      }
    }
    return rows[at]!;
  };
  while (stack.length > 0) {
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    const m = hi - lo;
    if (m <= size) {
      bounds.push(lo, hi);
      continue;
    }
    listIndex.set(rows.subarray(lo, hi));
    const p = farthest(rows[lo]!, lo, m);
    const q = farthest(p, lo, m);
    for (let j = 0; j < m; j++) keys[lo + j] = listOut[j]!;
    kernel.distancesToList(q, m);
    evaluations += m;
    for (let j = 0; j < m; j++) keys[lo + j]! -= listOut[j]!;
    const mid = lo + (m >> 1);
    select(keys, rows, lo, hi - 1, mid);
    stack.push(mid, hi, lo, mid);
  }
  // Groups stay in partition (depth-first) order, so neighbouring groups are near in space: runs of them form the super-groups.
  const count = bounds.length / 2;
  const sorted = rows;
  const start = new Int32Array(count + 1);
  for (let g = 0; g < count; g++) {
    start[g] = bounds[2 * g]!;
    sorted.subarray(bounds[2 * g]!, bounds[2 * g + 1]!).sort();
  }
  start[count] = n;
  const { dim, vectors: x } = kernel;
  const ref = new Int32Array(count);
  const radius = new Float64Array(count);
  const dref = new Float64Array(n);
  const groupOf = new Int32Array(n);
  const mean = new Float64Array(dim);
  /** Reference (member nearest the float64 mean) and radius of the rows sorted[a..b); member distances into dref when given. */
  const ball = (a: number, b: number, out: Float64Array | null): [number, number] => {
    mean.fill(0);
    for (let k = a; k < b; k++) {
      const o = sorted[k]! * dim;
      for (let t = 0; t < dim; t++) mean[t]! += x[o + t]!;
    }
    for (let t = 0; t < dim; t++) mean[t]! /= b - a;
    let best = Infinity;
    let bestRow = -1;
    for (let k = a; k < b; k++) {
      const o = sorted[k]! * dim;
      let s = 0;
      for (let t = 0; t < dim; t++) {
        const v = x[o + t]! - mean[t]!;
        s += v * v;
      }
      if (s < best) {
        best = s;
        bestRow = sorted[k]!;
      }
    }
    listIndex.set(sorted.subarray(a, b));
    kernel.distancesToList(bestRow, b - a);
    evaluations += b - a;
    let r = 0;
    for (let k = a; k < b; k++) {
      const d = Math.sqrt(listOut[k - a]!);
      if (out) out[k] = d;
      if (d > r) r = d;
    }
    return [bestRow, r];
  };
  for (let g = 0; g < count; g++) {
    for (let k = start[g]!; k < start[g + 1]!; k++) groupOf[sorted[k]!] = g;
    [ref[g], radius[g]] = ball(start[g]!, start[g + 1]!, dref);
  }
  const perSuper = Math.max(1, Math.round(Math.sqrt(count)));
  const superCount = Math.ceil(count / perSuper);
  const superStart = new Int32Array(superCount + 1);
  const superRef = new Int32Array(superCount);
  const superRadius = new Float64Array(superCount);
  const superOf = new Int32Array(count);
  for (let s = 0; s < superCount; s++) {
    const g0 = s * perSuper;
    const g1 = Math.min(count, g0 + perSuper);
    superStart[s] = g0;
    superOf.fill(s, g0, g1);
    [superRef[s], superRadius[s]] = ball(start[g0]!, start[g1]!, null);
  }
  superStart[superCount] = count;
  return {
    size, count, start, rows: sorted, dref, ref, radius, groupOf,
    superCount, superStart, superRef, superRadius, superOf,
    buildEvaluations: evaluations, buildMs: performance.now() - t0,
  };
}

/** Reorders keys[lo..hi] (and rows alongside) so that position k holds the k-th smallest key (Hoare selection). */
function select(keys: Float64Array, rows: Int32Array, lo: number, hi: number, k: number): void {
  while (lo < hi) {
    const pivot = keys[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i]! < pivot) i++;
      while (keys[j]! > pivot) j--;
      if (i <= j) {
        const tk = keys[i]!;
        keys[i] = keys[j]!;
        keys[j] = tk;
        const tr = rows[i]!;
        rows[i] = rows[j]!;
        rows[j] = tr;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
