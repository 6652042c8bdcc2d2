/**
 * The distance-update step of furthest-point sampling over one contiguous
 * row-major float32 matrix, behind one interface with two implementations
 * that give bit-identical results: WebAssembly SIMD (wasm-kernel.ts) and
 * plain TypeScript (ts-kernel.ts). Both define the squared distance by the
 * same operation order (see wasm/distance-module.ts).
 *
 * A kernel owns its matrix and three scratch arrays of `count` entries, so
 * the hot loops never allocate; callers fill `vectors` once (the only copy).
 */
export type KernelKind = 'wasm-simd' | 'typescript';

export interface DistanceKernel {
  readonly kind: KernelKind;
  readonly count: number;
  readonly dim: number;
  /** count × dim, row-major; write the vectors here. */
  readonly vectors: Float32Array;
  /** Per-row minimum squared distance used by updateAll; entries < 0 are skipped (centers, rows outside the pool). */
  readonly mind: Float32Array;
  /** Row indices for distancesToList. */
  readonly listIndex: Int32Array;
  /** Results of distancesToList. */
  readonly listOut: Float32Array;
  /** mind[i] = min(mind[i], d²(i, center)) for rows in [start, end) with mind ≥ 0; returns the argmax row of mind (lowest on ties) or −1. */
  updateAll(center: number, start: number, end: number): number;
  /** listOut[j] = d²(listIndex[j], center) for j < m. */
  distancesToList(center: number, m: number): void;
  squaredDistance(a: number, b: number): number;
  /** Reads the whole matrix once and returns a value derived from it (the memory floor of the bench). */
  streamOnce(): number;
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
