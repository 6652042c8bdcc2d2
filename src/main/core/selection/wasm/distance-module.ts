import { columnSumFunctions, type ColumnSumExports } from './column-sums';
import { encodeModule, op, valType, type FunctionDef } from './wasm-encoder';

/**
 * The SIMD distance kernel, written as WebAssembly instructions.
 *
 * Squared Euclidean distance in float32, in one fixed operation order that the
 * TypeScript fallback (ts-kernel.ts) reproduces bit for bit:
 *   two f32x4 accumulators take alternate groups of four dimensions
 *   (groups 0, 2, 4… → acc0; 1, 3, 5… → acc1; an unpaired last group → acc0),
 *   each adding (a−b)² lane-wise; then acc = acc0 + acc1, the lanes are summed
 *   as (l0 + l1) + (l2 + l3), and the last dim % 4 dimensions are added one
 *   by one. No fused multiply-add anywhere, so every path rounds the same way.
 *
 * Exports (pointers are byte addresses in the imported memory):
 * - update_all(x, rowBytes, center, mind, start, end, pairs, odd, tail) → i32:
 *   for rows i in [start, end) whose mind[i] ≥ 0, mind[i] = min(mind[i], d²(i, center));
 *   returns the row with the largest mind (lowest row on ties), −1 if none.
 * - dist_list(x, rowBytes, center, idx, m, out, pairs, odd, tail):
 *   out[j] = d²(idx[j], center) for j < m.
 * - stream_sum(ptr, chunks) → f32: reads chunks × 64 bytes once (the memory floor).
 * - sq_dist(a, b, pairs, odd, tail) → f32: one distance (tests).
 * - proj_list(x, rowBytes, w, idx, m, out, groups, tail): out[j] = x[idx[j]] · w
 *   (f32x4 lanes, then (l0 + l1) + (l2 + l3), then the tail): the split keys
 *   of the pruning tree's build, whose rounding only affects speed.
 * - scan_slots(x, rowBytes, center, rows, mind, dref, from, to, d, margin,
 *   shrink, pairs, odd, tail, counters) → i32: the FPS engine's fused leaf
 *   scan over the slots from..to (see fps-engine.ts), slot s holding row
 *   rows[s] (i32) with mind[s] and dref[s] (f64): for each slot with
 *   mind > 0, skip it when b = |d − dref| − (d + dref)·margin > 0 and
 *   b²·shrink ≥ mind (float64, the engine's own formula), or, with k1 > 0,
 *   when g = (√(Σ_r (coords[s·k1 + r] − cc[r])²) − slack)·(1 − margin) > 0
 *   and g²·shrink ≥ mind (the subspace bound: coords f32, cc f64, k1 values
 *   per slot), else mind = min(mind, d²(row, center)); meanwhile the largest
 *   mind ≥ 0 and its first slot. Returns that slot (−1 if none); adds the
 *   distances computed and the rows skipped to the two i32 at `counters`.
 * - column_sums_1..4, column_sum_1: float64 column sums (column-sums.ts).
 * - copy_rows(x, rowBytes, idx, m, dst): copies rows idx[0..m) of x, in that
 *   order, to dst (memory.copy per row: copies into a shared memory from
 *   JavaScript take a slow path).
 */

const { i32, f32, f64, v128 } = valType;

const DIST = 0;

function addSquaredDiff(acc: number, a: number, b: number, t: number, offset: number): number[][] {
  return [
    op.localGet(acc),
    op.localGet(a), op.v128Load(offset),
    op.localGet(b), op.v128Load(offset),
    op.f32x4Sub(), op.localTee(t), op.localGet(t), op.f32x4Mul(),
    op.f32x4Add(), op.localSet(acc),
  ];
}

function addTo(local: number, amount: number): number[][] {
  return [op.localGet(local), op.i32Const(amount), op.i32Add(), op.localSet(local)];
}

/** Local indices for distanceOps: a, b, pairs and tail are consumed (advanced, counted down); the rest are scratch. */
interface DistanceLocals {
  a: number;
  b: number;
  pairs: number;
  odd: number;
  tail: number;
  acc0: number;
  acc1: number;
  t: number;
  s: number;
  x: number;
}

/**
 * The squared distance between the vectors at byte addresses a and b, in
 * the one operation order every path uses, left on the stack. Written once
 * and emitted both as sq_dist and inline in update_all: a call per row cost
 * update_all about a quarter of its time over the memory floor.
 */
function distanceOps(l: DistanceLocals): number[][] {
  const { a, b, pairs, odd, tail, acc0, acc1, t, s, x } = l;
  return [
    op.f32Const(0), op.f32x4Splat(), op.localSet(acc0),
    op.f32Const(0), op.f32x4Splat(), op.localSet(acc1),
    op.block(), op.loop(),
    op.localGet(pairs), op.i32Eqz(), op.brIf(1),
    ...addSquaredDiff(acc0, a, b, t, 0),
    ...addSquaredDiff(acc1, a, b, t, 16),
    ...addTo(a, 32), ...addTo(b, 32), ...addTo(pairs, -1),
    op.br(0),
    op.end(), op.end(),
    op.localGet(odd), op.if(),
    ...addSquaredDiff(acc0, a, b, t, 0),
    ...addTo(a, 16), ...addTo(b, 16),
    op.end(),
    op.localGet(acc0), op.localGet(acc1), op.f32x4Add(), op.localSet(acc0),
    op.localGet(acc0), op.f32x4ExtractLane(0), op.localGet(acc0), op.f32x4ExtractLane(1), op.f32Add(),
    op.localGet(acc0), op.f32x4ExtractLane(2), op.localGet(acc0), op.f32x4ExtractLane(3), op.f32Add(),
    op.f32Add(), op.localSet(s),
    op.block(), op.loop(),
    op.localGet(tail), op.i32Eqz(), op.brIf(1),
    op.localGet(s),
    op.localGet(a), op.f32Load(), op.localGet(b), op.f32Load(), op.f32Sub(), op.localTee(x), op.localGet(x), op.f32Mul(),
    op.f32Add(), op.localSet(s),
    ...addTo(a, 4), ...addTo(b, 4), ...addTo(tail, -1),
    op.br(0),
    op.end(), op.end(),
    op.localGet(s),
  ];
}

// params: a, b, pairs, odd, tail; locals: acc0, acc1, t, s, x
const sqDist: FunctionDef = {
  name: 'sq_dist',
  params: [i32, i32, i32, i32, i32],
  results: [f32],
  locals: [v128, v128, v128, f32, f32],
  body: distanceOps({ a: 0, b: 1, pairs: 2, odd: 3, tail: 4, acc0: 5, acc1: 6, t: 7, s: 8, x: 9 }),
};

// params: x, rowBytes, center, mind, start, end, pairs, odd, tail; locals: i, p, mp, m, s, best, bestRow, then distanceOps' own
const updateAll: FunctionDef = (() => {
  const [x, rowBytes, center, mind, start, end, pairs, odd, tail] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, p, mp, m, s, best, bestRow] = [9, 10, 11, 12, 13, 14, 15];
  const l: DistanceLocals = { a: 16, b: 17, pairs: 18, odd, tail: 19, acc0: 20, acc1: 21, t: 22, s: 23, x: 24 };
  return {
    name: 'update_all',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, i32],
    results: [i32],
    locals: [i32, i32, i32, f32, f32, f32, i32, i32, i32, i32, i32, v128, v128, v128, f32, f32],
    body: [
      op.f32Const(-0.5), op.localSet(best),
      op.i32Const(-1), op.localSet(bestRow),
      op.localGet(start), op.localSet(i),
      op.localGet(x), op.localGet(start), op.localGet(rowBytes), op.i32Mul(), op.i32Add(), op.localSet(p),
      op.localGet(mind), op.localGet(start), op.i32Const(4), op.i32Mul(), op.i32Add(), op.localSet(mp),
      op.block(), op.loop(),
      op.localGet(i), op.localGet(end), op.i32GeS(), op.brIf(1),
      op.localGet(mp), op.f32Load(), op.localTee(m), op.f32Const(0), op.f32Ge(), op.if(),
      op.localGet(p), op.localSet(l.a), op.localGet(center), op.localSet(l.b),
      op.localGet(pairs), op.localSet(l.pairs), op.localGet(tail), op.localSet(l.tail),
      ...distanceOps(l), op.localTee(s),
      op.localGet(m), op.f32Lt(), op.if(),
      op.localGet(mp), op.localGet(s), op.f32Store(),
      op.localGet(s), op.localSet(m),
      op.end(),
      op.localGet(m), op.localGet(best), op.f32Gt(), op.if(),
      op.localGet(m), op.localSet(best), op.localGet(i), op.localSet(bestRow),
      op.end(),
      op.end(),
      ...addTo(i, 1),
      op.localGet(p), op.localGet(rowBytes), op.i32Add(), op.localSet(p),
      ...addTo(mp, 4),
      op.br(0),
      op.end(), op.end(),
      op.localGet(bestRow),
    ],
  };
})();

// params: x, rowBytes, center, idx, m, out, pairs, odd, tail
const distList: FunctionDef = (() => {
  const [x, rowBytes, center, idx, m, out, pairs, odd, tail] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return {
    name: 'dist_list',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, i32],
    results: [],
    locals: [],
    body: [
      op.block(), op.loop(),
      op.localGet(m), op.i32Eqz(), op.brIf(1),
      op.localGet(out),
      op.localGet(x), op.localGet(idx), op.i32Load(), op.localGet(rowBytes), op.i32Mul(), op.i32Add(),
      op.localGet(center), op.localGet(pairs), op.localGet(odd), op.localGet(tail), op.call(DIST),
      op.f32Store(),
      ...addTo(idx, 4), ...addTo(out, 4), ...addTo(m, -1),
      op.br(0),
      op.end(), op.end(),
    ],
  };
})();

// params: ptr, chunks; locals: four accumulators
const streamSum: FunctionDef = (() => {
  const [ptr, chunks, a0, a1, a2, a3] = [0, 1, 2, 3, 4, 5];
  const accumulate = (acc: number, offset: number) => [op.localGet(acc), op.localGet(ptr), op.v128Load(offset), op.f32x4Add(), op.localSet(acc)];
  return {
    name: 'stream_sum',
    params: [i32, i32],
    results: [f32],
    locals: [v128, v128, v128, v128],
    body: [
      op.block(), op.loop(),
      op.localGet(chunks), op.i32Eqz(), op.brIf(1),
      ...accumulate(a0, 0), ...accumulate(a1, 16), ...accumulate(a2, 32), ...accumulate(a3, 48),
      ...addTo(ptr, 64), ...addTo(chunks, -1),
      op.br(0),
      op.end(), op.end(),
      op.localGet(a0), op.localGet(a1), op.f32x4Add(), op.localGet(a2), op.f32x4Add(), op.localGet(a3), op.f32x4Add(),
      op.f32x4ExtractLane(0),
    ],
  };
})();

const DOT = 6;

// params: a, b, groups, tail; locals: acc, s
const dot: FunctionDef = (() => {
  const [a, b, groups, tail, acc, s] = [0, 1, 2, 3, 4, 5];
  return {
    name: null,
    params: [i32, i32, i32, i32],
    results: [f32],
    locals: [v128, f32],
    body: [
      op.f32Const(0), op.f32x4Splat(), op.localSet(acc),
      op.block(), op.loop(),
      op.localGet(groups), op.i32Eqz(), op.brIf(1),
      op.localGet(acc), op.localGet(a), op.v128Load(), op.localGet(b), op.v128Load(), op.f32x4Mul(), op.f32x4Add(), op.localSet(acc),
      ...addTo(a, 16), ...addTo(b, 16), ...addTo(groups, -1),
      op.br(0),
      op.end(), op.end(),
      op.localGet(acc), op.f32x4ExtractLane(0), op.localGet(acc), op.f32x4ExtractLane(1), op.f32Add(),
      op.localGet(acc), op.f32x4ExtractLane(2), op.localGet(acc), op.f32x4ExtractLane(3), op.f32Add(),
      op.f32Add(), op.localSet(s),
      op.block(), op.loop(),
      op.localGet(tail), op.i32Eqz(), op.brIf(1),
      op.localGet(s), op.localGet(a), op.f32Load(), op.localGet(b), op.f32Load(), op.f32Mul(), op.f32Add(), op.localSet(s),
      ...addTo(a, 4), ...addTo(b, 4), ...addTo(tail, -1),
      op.br(0),
      op.end(), op.end(),
      op.localGet(s),
    ],
  };
})();

// params: x, rowBytes, w, idx, m, out, groups, tail
const projList: FunctionDef = (() => {
  const [x, rowBytes, w, idx, m, out, groups, tail] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'proj_list',
    params: [i32, i32, i32, i32, i32, i32, i32, i32],
    results: [],
    locals: [],
    body: [
      op.block(), op.loop(),
      op.localGet(m), op.i32Eqz(), op.brIf(1),
      op.localGet(out),
      op.localGet(x), op.localGet(idx), op.i32Load(), op.localGet(rowBytes), op.i32Mul(), op.i32Add(),
      op.localGet(w), op.localGet(groups), op.localGet(tail), op.call(DOT),
      op.f32Store(),
      ...addTo(idx, 4), ...addTo(out, 4), ...addTo(m, -1),
      op.br(0),
      op.end(), op.end(),
    ],
  };
})();

// params: x, rowBytes, center, rows, mind, dref, from, to, d, margin, shrink, pairs, odd, tail, counters, coords, cc, k1, slack
// locals: p (pointer into rows), mp, rp, m, s, best, bestRow, r, b, evals, skips, g, t, j, cp, ccp
const scanSlots: FunctionDef = (() => {
  const [x, rowBytes, center, rows, mind, dref, from, to, d, margin, shrink, pairs, odd, tail, counters, coords, cc, k1, slack] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const [p, mp, rp, m, s, best, bestRow, r, b, evals, skips, g, t, j, cp, ccp] = [19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34];
  /** Leaves 1 on the stack when the subspace bound proves the row at slot `from` no nearer than √m. */
  const subspaceSkips = [
    op.f64Const(0), op.localSet(g),
    op.i32Const(0), op.localSet(j),
    op.localGet(coords), op.localGet(from), op.localGet(k1), op.i32Mul(), op.i32Const(4), op.i32Mul(), op.i32Add(), op.localSet(cp),
    op.localGet(cc), op.localSet(ccp),
    op.block(), op.loop(),
    op.localGet(j), op.localGet(k1), op.i32GeS(), op.brIf(1),
    op.localGet(cp), op.f32Load(), op.f64PromoteF32(), op.localGet(ccp), op.f64Load(), op.f64Sub(), op.localTee(t),
    op.localGet(t), op.f64Mul(), op.localGet(g), op.f64Add(), op.localSet(g),
    ...addTo(j, 1), ...addTo(cp, 4), ...addTo(ccp, 8),
    op.br(0),
    op.end(), op.end(),
    op.localGet(g), op.f64Sqrt(), op.localGet(slack), op.f64Sub(),
    op.f64Const(1), op.localGet(margin), op.f64Sub(), op.f64Mul(), op.localTee(t),
    op.f64Const(0), op.f64Gt(),
    op.localGet(t), op.localGet(t), op.f64Mul(), op.localGet(shrink), op.f64Mul(),
    op.localGet(m), op.f64PromoteF32(), op.f64Ge(),
    op.i32And(),
  ];
  return {
    name: 'scan_slots',
    params: [i32, i32, i32, i32, i32, i32, i32, i32, f64, f64, f64, i32, i32, i32, i32, i32, i32, i32, f64],
    results: [i32],
    locals: [i32, i32, i32, f32, f32, f32, i32, f64, f64, i32, i32, f64, f64, i32, i32, i32],
    body: [
      op.f32Const(-0.5), op.localSet(best),
      op.i32Const(-1), op.localSet(bestRow),
      op.localGet(rows), op.localGet(from), op.i32Const(4), op.i32Mul(), op.i32Add(), op.localSet(p),
      op.localGet(mind), op.localGet(from), op.i32Const(4), op.i32Mul(), op.i32Add(), op.localSet(mp),
      op.localGet(dref), op.localGet(from), op.i32Const(8), op.i32Mul(), op.i32Add(), op.localSet(rp),
      op.block(), op.loop(),
      op.localGet(from), op.localGet(to), op.i32GeS(), op.brIf(1),
      op.localGet(mp), op.f32Load(), op.localTee(m), op.f32Const(0), op.f32Ge(), op.if(),
      op.localGet(m), op.f32Const(0), op.f32Gt(), op.if(),
      op.localGet(rp), op.f64Load(), op.localSet(r),
      op.localGet(d), op.localGet(r), op.f64Sub(), op.f64Abs(),
      op.localGet(d), op.localGet(r), op.f64Add(), op.localGet(margin), op.f64Mul(),
      op.f64Sub(), op.localTee(b), op.f64Const(0), op.f64Gt(),
      op.localGet(b), op.localGet(b), op.f64Mul(), op.localGet(shrink), op.f64Mul(),
      op.localGet(m), op.f64PromoteF32(), op.f64Ge(),
      op.i32And(), op.if(),
      ...addTo(skips, 1),
      op.else(),
      op.localGet(k1), op.if(),
      ...subspaceSkips,
      op.localSet(j),
      op.else(),
      op.i32Const(0), op.localSet(j),
      op.end(),
      op.localGet(j), op.if(),
      ...addTo(skips, 1),
      op.else(),
      ...addTo(evals, 1),
      op.localGet(x), op.localGet(p), op.i32Load(), op.localGet(rowBytes), op.i32Mul(), op.i32Add(), op.localGet(center),
      op.localGet(pairs), op.localGet(odd), op.localGet(tail), op.call(DIST), op.localTee(s),
      op.localGet(m), op.f32Lt(), op.if(),
      op.localGet(mp), op.localGet(s), op.f32Store(),
      op.localGet(s), op.localSet(m),
      op.end(),
      op.end(),
      op.end(),
      op.end(),
      op.localGet(m), op.localGet(best), op.f32Gt(), op.if(),
      op.localGet(m), op.localSet(best), op.localGet(from), op.localSet(bestRow),
      op.end(),
      op.end(),
      ...addTo(from, 1), ...addTo(p, 4), ...addTo(mp, 4), ...addTo(rp, 8),
      op.br(0),
      op.end(), op.end(),
      op.localGet(counters), op.localGet(counters), op.i32Load(), op.localGet(evals), op.i32Add(), op.i32Store(),
      op.localGet(counters), op.localGet(counters), op.i32Load(4), op.localGet(skips), op.i32Add(), op.i32Store(4),
      op.localGet(bestRow),
    ],
  };
})();

// params: x, rowBytes, idx, m, dst
const copyRows: FunctionDef = (() => {
  const [x, rowBytes, idx, m, dst] = [0, 1, 2, 3, 4];
  return {
    name: 'copy_rows',
    params: [i32, i32, i32, i32, i32],
    results: [],
    locals: [],
    body: [
      op.block(), op.loop(),
      op.localGet(m), op.i32Eqz(), op.brIf(1),
      op.localGet(dst),
      op.localGet(x), op.localGet(idx), op.i32Load(), op.localGet(rowBytes), op.i32Mul(), op.i32Add(),
      op.localGet(rowBytes), op.memoryCopy(),
      op.localGet(dst), op.localGet(rowBytes), op.i32Add(), op.localSet(dst),
      ...addTo(idx, 4), ...addTo(m, -1),
      op.br(0),
      op.end(), op.end(),
    ],
  };
})();

/** The module's bytes; function 0 must stay sq_dist and 6 dot (the others call them by index). */
export function distanceModuleBytes(minPages: number, shared = false): Uint8Array {
  return encodeModule([sqDist, updateAll, distList, streamSum, projList, scanSlots, dot, copyRows, ...columnSumFunctions], minPages, shared);
}

export interface DistanceExports extends ColumnSumExports {
  sq_dist(a: number, b: number, pairs: number, odd: number, tail: number): number;
  update_all(x: number, rowBytes: number, center: number, mind: number, start: number, end: number, pairs: number, odd: number, tail: number): number;
  dist_list(x: number, rowBytes: number, center: number, idx: number, m: number, out: number, pairs: number, odd: number, tail: number): void;
  stream_sum(ptr: number, chunks: number): number;
  copy_rows(x: number, rowBytes: number, idx: number, m: number, dst: number): void;
  proj_list(x: number, rowBytes: number, w: number, idx: number, m: number, out: number, groups: number, tail: number): void;
  scan_slots(
    x: number, rowBytes: number, center: number, rows: number, mind: number, dref: number, from: number, to: number,
    d: number, margin: number, shrink: number, pairs: number, odd: number, tail: number, counters: number,
    coords: number, cc: number, k1: number, slack: number,
  ): number;
}
