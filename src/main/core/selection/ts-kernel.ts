import { checkShape, hotRowsFor, MAX_SUBSPACE_DIM, splitDim, type DistanceKernel } from './distance-kernel';
import { SlotMap } from './slot-map';

const f = Math.fround;

/**
 * Squared distance between rows a and b of x (row length dim), in exactly the
 * operation order of the SIMD kernel: eight float32 lane accumulators for the
 * two f32x4 registers, combined lane-wise, summed (l0+l1)+(l2+l3), then the tail.
 */
export function canonicalSquaredDistance(x: Float32Array, aRow: number, bRow: number, dim: number): number {
  return canonicalDistanceAt(x, aRow * dim, x, bRow * dim, dim);
}

/** canonicalSquaredDistance between the dim values of x from offset a and those of y from offset b. */
function canonicalDistanceAt(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  const { pairs, odd, tail } = splitDim(dim);
  let p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
  let k = 0;
  for (let g = 0; g < pairs; g++, k += 8) {
    let t = f(x[a + k]! - y[b + k]!); p0 = f(p0 + f(t * t));
    t = f(x[a + k + 1]! - y[b + k + 1]!); p1 = f(p1 + f(t * t));
    t = f(x[a + k + 2]! - y[b + k + 2]!); p2 = f(p2 + f(t * t));
    t = f(x[a + k + 3]! - y[b + k + 3]!); p3 = f(p3 + f(t * t));
    t = f(x[a + k + 4]! - y[b + k + 4]!); q0 = f(q0 + f(t * t));
    t = f(x[a + k + 5]! - y[b + k + 5]!); q1 = f(q1 + f(t * t));
    t = f(x[a + k + 6]! - y[b + k + 6]!); q2 = f(q2 + f(t * t));
    t = f(x[a + k + 7]! - y[b + k + 7]!); q3 = f(q3 + f(t * t));
  }
  if (odd) {
    let t = f(x[a + k]! - y[b + k]!); p0 = f(p0 + f(t * t));
    t = f(x[a + k + 1]! - y[b + k + 1]!); p1 = f(p1 + f(t * t));
    t = f(x[a + k + 2]! - y[b + k + 2]!); p2 = f(p2 + f(t * t));
    t = f(x[a + k + 3]! - y[b + k + 3]!); p3 = f(p3 + f(t * t));
    k += 4;
  }
  let s = f(f(f(p0 + q0) + f(p1 + q1)) + f(f(p2 + q2) + f(p3 + q3)));
  for (let r = 0; r < tail; r++, k++) {
    const t = f(x[a + k]! - y[b + k]!);
    s = f(s + f(t * t));
  }
  return s;
}

/** Dot product of row `row` of x with w in the SIMD kernel's order: four lane sums, (l0 + l1) + (l2 + l3), then the tail. */
function canonicalDot(x: Float32Array, row: number, w: Float32Array, dim: number): number {
  const o = row * dim;
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  let k = 0;
  for (; k + 4 <= dim; k += 4) {
    l0 = f(l0 + f(x[o + k]! * w[k]!));
    l1 = f(l1 + f(x[o + k + 1]! * w[k + 1]!));
    l2 = f(l2 + f(x[o + k + 2]! * w[k + 2]!));
    l3 = f(l3 + f(x[o + k + 3]! * w[k + 3]!));
  }
  let s = f(f(l0 + l1) + f(l2 + l3));
  for (; k < dim; k++) s = f(s + f(x[o + k]! * w[k]!));
  return s;
}

/**
 * The plain TypeScript kernel: no copy of the caller's matrix, identical
 * results to the SIMD one. `arrange` only records the slot order (the matrix
 * is the caller's and stays as it is), so slot scans read rows through rowAt.
 */
export function createTsKernel(count: number, dim: number, vectors?: Float32Array): DistanceKernel {
  checkShape(count, dim);
  const x = vectors ?? new Float32Array(count * dim);
  if (x.length !== count * dim) throw new RangeError(`vectors hold ${x.length} values, expected ${count} × ${dim}`);
  const mind = new Float32Array(count);
  const listIndex = new Int32Array(count);
  const listOut = new Float32Array(count);
  const slots = new SlotMap(new Int32Array(count), new Int32Array(count));
  const { rowAt, slotOf } = slots;
  const slotMind = new Float32Array(count);
  const rowMind = new Float32Array(count);
  const hotCapacity = hotRowsFor(count);
  const hotRows = new Int32Array(hotCapacity);
  const hotMind = new Float32Array(hotCapacity);
  const slotRef = new Float64Array(count);
  const scanCounters = new Int32Array(2);
  const slotCoords = new Float32Array((MAX_SUBSPACE_DIM + 1) * count);
  const centerCoords = new Float64Array(MAX_SUBSPACE_DIM + 1);
  const scan: SlotScanState = { x, dim, rowAt, slotMind, slotRef, slotCoords, centerCoords, scanCounters };
  return {
    kind: 'typescript',
    count,
    dim,
    vectors: x,
    mind,
    mindOwner: null,
    listIndex,
    listOut,
    updateAll: (center, start, end) => updateRows(x, dim, mind, center, start, end),
    distancesToList(center, m) {
      for (let j = 0; j < m; j++) listOut[j] = canonicalSquaredDistance(x, listIndex[j]!, center, dim);
    },
    squaredDistance: (a, b) => canonicalSquaredDistance(x, a, b, dim),
    pointStep: (point) => updateRowsToPoint(x, dim, listOut, point),
    addColumnSums(from, to, sums) {
      for (let i = from; i < to; i++) for (let k = 0, o = i * dim; k < dim; k++) sums[k]! += x[o + k]!;
    },
    streamOnce() {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]!;
      return s;
    },
    get arranged() {
      return slots.arranged;
    },
    rowAt,
    slotOf,
    arrange: (order) => slots.arrange(order),
    vectorOffset: (row) => row * dim,
    projectList(w, m) {
      for (let j = 0; j < m; j++) listOut[j] = canonicalDot(x, listIndex[j]!, w, dim);
    },
    rangeDistances(center, from, to) {
      for (let s = from; s < to; s++) listOut[s - from] = canonicalSquaredDistance(x, rowAt[s]!, center, dim);
    },
    slotMind,
    slotRef,
    slotMindOwner: null,
    scanCounters,
    slotCoords,
    centerCoords,
    compactSlots: () => false,
    scanSlots: (center, from, to, d, margin, shrink, k1, slack) => scanSlotsPlain(scan, center, from, to, d, margin, shrink, k1, slack),
    rowMind,
    fullStepRows: (center) => updateRows(x, dim, rowMind, center, 0, count),
    hotCapacity,
    hotOwner: null,
    hotMind,
    loadHotRows(rows, m) {
      if (m > hotCapacity) throw new RangeError(`hot rows: ${m} exceed the capacity ${hotCapacity}`);
      hotRows.set(rows.subarray(0, m));
    },
    hotStep: (center, m) => hotStepPlain(x, dim, hotRows, hotMind, center, m),
  };
}

/** m[i] = min(m[i], d²(i, center)) for rows start..end with m ≥ 0; the argmax row of m (lowest on ties), −1 if none. */
function updateRows(x: Float32Array, dim: number, m: Float32Array, center: number, start: number, end: number): number {
  let best = -0.5;
  let bestRow = -1;
  for (let i = start; i < end; i++) {
    let v = m[i]!;
    if (!(v >= 0)) continue;
    const s = canonicalSquaredDistance(x, i, center, dim);
    if (s < v) {
      m[i] = s;
      v = s;
    }
    if (v > best) {
      best = v;
      bestRow = i;
    }
  }
  return bestRow;
}

/** updateRows with a vector of its own (dim values) in place of the center row. */
function updateRowsToPoint(x: Float32Array, dim: number, m: Float32Array, point: Float32Array): number {
  let best = -0.5;
  let bestRow = -1;
  for (let i = 0; i < m.length; i++) {
    let v = m[i]!;
    if (!(v >= 0)) continue;
    const s = canonicalDistanceAt(x, i * dim, point, 0, dim);
    if (s < v) {
      m[i] = s;
      v = s;
    }
    if (v > best) {
      best = v;
      bestRow = i;
    }
  }
  return bestRow;
}

/** The arrays a slot scan reads and writes. */
interface SlotScanState {
  x: Float32Array;
  dim: number;
  rowAt: Int32Array;
  slotMind: Float32Array;
  slotRef: Float64Array;
  slotCoords: Float32Array;
  centerCoords: Float64Array;
  scanCounters: Int32Array;
}

/** Whether the subspace bound on slot s's own coordinates proves the center cannot lower its min-distance m. */
function subspaceSkips(k: SlotScanState, s: number, m: number, k1: number, slack: number, margin: number, shrink: number): boolean {
  let g = 0;
  for (let r = 0, o = s * k1; r < k1; r++) {
    const t = k.slotCoords[o + r]! - k.centerCoords[r]!;
    g += t * t;
  }
  const bound = (Math.sqrt(g) - slack) * (1 - margin);
  return bound > 0 && bound * bound * shrink >= m;
}

/** DistanceKernel.scanSlots: the SIMD scan_slots, step for step (float64 bound, float32 distances). */
function scanSlotsPlain(k: SlotScanState, center: number, from: number, to: number, d: number, margin: number, shrink: number, k1: number, slack: number): number {
  const { x, dim, rowAt, slotMind, slotRef, scanCounters } = k;
  let best = -0.5;
  let bestSlot = -1;
  let evals = 0;
  let skips = 0;
  for (let s = from; s < to; s++) {
    let m = slotMind[s]!;
    if (!(m >= 0)) continue;
    if (m > 0) {
      const r = slotRef[s]!;
      const b = Math.abs(d - r) - (d + r) * margin;
      if ((b > 0 && b * b * shrink >= m) || (k1 > 0 && subspaceSkips(k, s, m, k1, slack, margin, shrink))) {
        skips++;
      } else {
        evals++;
        const dist = canonicalSquaredDistance(x, rowAt[s]!, center, dim);
        if (dist < m) slotMind[s] = m = dist;
      }
    }
    if (m > best) {
      best = m;
      bestSlot = s;
    }
  }
  scanCounters[0]! += evals;
  scanCounters[1]! += skips;
  return bestSlot;
}

/** DistanceKernel.hotStep with no copies: the hot rows are read in place, with the same distance as updateRows. */
function hotStepPlain(x: Float32Array, dim: number, hotRows: Int32Array, hotMind: Float32Array, center: number, m: number): number {
  let best = -0.5;
  let at = -1;
  for (let j = 0; j < m; j++) {
    let v = hotMind[j]!;
    if (!(v >= 0)) continue;
    const s = canonicalSquaredDistance(x, hotRows[j]!, center, dim);
    if (s < v) hotMind[j] = v = s;
    if (v > best) {
      best = v;
      at = j;
    }
  }
  return at;
}
