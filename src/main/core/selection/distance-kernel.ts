/**
 * The distance-update step of furthest-point sampling over one contiguous
 * row-major float32 matrix, behind one interface with two implementations
 * that give bit-identical results: WebAssembly SIMD (wasm-kernel.ts) and
 * plain TypeScript (ts-kernel.ts). Both define the squared distance by the
 * same operation order (see wasm/distance-module.ts).
 *
 * A kernel owns its matrix and a few scratch arrays of `count` entries, so
 * the hot loops never allocate; callers fill `vectors` once (the only copy).
 *
 * Slots: the FPS engine's pruning tree (point-groups.ts) calls `arrange` once
 * with its leaf order, so that every tree node is a contiguous run of slots,
 * and the engine's per-row arrays (slotMind, slotRef) are indexed by slot.
 * The matrix itself stays in row order: other strategies (typiclust,
 * fps-dense) read `vectors` in place, and rows inside a leaf ascend, so a
 * leaf scan reads forward through the matrix. Every method taking a row
 * keeps taking a row; the slot methods (rangeDistances, scanSlots) take slots.
 */
export type KernelKind = 'wasm-simd' | 'typescript';

/** Most subspace dimensions the engine's per-row subspace bound keeps (slotCoords holds this + 1 values per slot). */
export const MAX_SUBSPACE_DIM = 8;

export interface DistanceKernel {
  readonly kind: KernelKind;
  readonly count: number;
  readonly dim: number;
  /** count × dim, row-major; write the vectors here. */
  readonly vectors: Float32Array;
  /** Per-row minimum squared distance used by updateAll; entries < 0 are skipped (centers, rows outside the pool). */
  readonly mind: Float32Array;
  /**
   * The streamed FPS engine whose min-distances `mind` holds (it then skips
   * copying them in before a step); whoever else writes `mind` sets this to
   * null first.
   */
  mindOwner: object | null;
  /** Row indices for distancesToList. */
  readonly listIndex: Int32Array;
  /** Results of distancesToList. */
  readonly listOut: Float32Array;
  /** mind[i] = min(mind[i], d²(i, center)) for rows in [start, end) with mind ≥ 0; returns the argmax row of mind (lowest on ties) or −1. */
  updateAll(center: number, start: number, end: number): number;
  /** listOut[j] = d²(listIndex[j], center) for j < m. */
  distancesToList(center: number, m: number): void;
  squaredDistance(a: number, b: number): number;
  /**
   * updateAll on listOut instead of mind, with `point` (dim float32 values)
   * in place of the center row: listOut[i] = min(listOut[i], d²(i, point))
   * for every row whose listOut[i] ≥ 0 (callers set the others −1), the
   * same distance as updateAll; returns the row with the largest listOut ≥ 0
   * (lowest on ties), −1 if none.
   */
  pointStep(point: Float32Array): number;
  /**
   * sums[k] += column k of each row from..to, in float64, row by row in
   * row order: the additions of a plain JavaScript loop, bit for bit.
   */
  addColumnSums(from: number, to: number, sums: Float64Array): void;
  /** Reads the whole matrix once and returns a value derived from it (the memory floor of the bench). */
  streamOnce(): number;

  /** Whether arrange has run. */
  readonly arranged: boolean;
  /** rowAt[slot]: the row at a slot; slotOf[row]: its slot (identity until arranged). */
  readonly rowAt: Int32Array;
  readonly slotOf: Int32Array;
  /** Puts the rows in slot order `rowAt` (a permutation of the rows); once per kernel. */
  arrange(rowAt: Int32Array): void;
  /** Index in `vectors` of a row's first value (row × dim). */
  vectorOffset(row: number): number;
  /** listOut[j] = vector(listIndex[j]) · w for j < m (float32; the tree build's split keys). */
  projectList(w: Float32Array, m: number): void;
  /** listOut[j] = d²(rowAt[from + j], center row) for the slots from..to. */
  rangeDistances(center: number, from: number, to: number): void;
  /** The FPS engine's working arrays, by slot: squared min-distance (< 0: not a candidate), and distance to the leaf's reference row. */
  readonly slotMind: Float32Array;
  readonly slotRef: Float64Array;
  /** The engine whose min-distances slotMind holds now (engines swap theirs in before scanning). */
  slotMindOwner: object | null;
  /**
   * Per slot, k1 = k + 1 float32 values (k ≤ MAX_SUBSPACE_DIM): the row's
   * subspace coordinates and its distance from the subspace; and the
   * center's, float64 (see principal-subspace.ts).
   */
  readonly slotCoords: Float32Array;
  readonly centerCoords: Float64Array;
  /**
   * Copies the rows of slots from..to, in slot order, into a spare region
   * (at most 1/16 of the rows), so that scans inside that range stream
   * instead of gathering: for the few rows far from everything (outliers),
   * which every insertion scans. Returns false where it does not fit or the
   * kernel has no use for it (TypeScript).
   */
  compactSlots(from: number, to: number): boolean;
  /** Running totals of scanSlots: [distances computed, rows skipped by their bound]. */
  readonly scanCounters: Int32Array;
  /**
   * The engine's fused leaf scan over slots from..to (see fps-engine.ts for the
   * bounds; k1 = 0 leaves the subspace bound out): lowers slotMind by the
   * distance to the center row where no bound excludes it, and returns the
   * slot with the largest slotMind ≥ 0 (first on ties), −1 if none.
   */
  scanSlots(center: number, from: number, to: number, d: number, margin: number, shrink: number, k1: number, slack: number): number;
  /**
   * The FPS engine's min-distances in row order, while it takes streamed
   * full steps (see fps-engine.ts): the same per-row values as slotMind,
   * laid out like the matrix so that the step reads both in order.
   */
  readonly rowMind: Float32Array;
  /** updateAll on rowMind over every row (the same distance and min-update as scanSlots); returns its argmax row (lowest on ties), −1 if none. */
  fullStepRows(center: number): number;

  /**
   * The FPS engine's first phase (fps-engine.ts) works on the few rows with
   * the largest min-distances: copies of them, contiguous, so that its step
   * streams. At most hotCapacity rows (hotRowsFor(count)).
   */
  readonly hotCapacity: number;
  /** The engine whose rows the hot region holds now. */
  hotOwner: object | null;
  /** Min-distances of the hot rows, by position (< 0: skipped). */
  readonly hotMind: Float32Array;
  /** Makes rows[0..m) the hot rows, in that order (copies their vectors). */
  loadHotRows(rows: Int32Array, m: number): void;
  /** hotMind[j] = min(hotMind[j], d²(hot row j, center row)) for j < m (the same distance as updateAll); returns the argmax j (lowest on ties), −1 if none. */
  hotStep(center: number, m: number): number;
}

/** Rows a kernel's hot region holds: 1/32 of the rows (the engine's default hot share), at least one. */
export function hotRowsFor(count: number): number {
  return Math.max(1, Math.ceil(count / 32));
}

/** Split of a dimension into the kernel's fixed order: pairs of 4-lane groups, an odd group, scalar tail. */
export interface DimSplit {
  pairs: number;
  odd: number;
  tail: number;
}

export function splitDim(dim: number): DimSplit {
  const groups = Math.floor(dim / 4);
  return { pairs: Math.floor(groups / 2), odd: groups % 2, tail: dim % 4 };
}

export function checkShape(count: number, dim: number): void {
  if (!Number.isSafeInteger(dim) || dim < 1 || dim > 65_536) throw new RangeError(`dimension must be an integer from 1 to 65536, got ${dim}`);
  if (!Number.isSafeInteger(count) || count < 0 || count > 2 ** 31 - 1) throw new RangeError(`row count must be an integer from 0 to 2^31-1, got ${count}`);
}
