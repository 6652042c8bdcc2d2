import { checkShape, hotRowsFor, MAX_SUBSPACE_DIM, splitDim, type DistanceKernel } from './distance-kernel';
import { distanceModuleBytes, type DistanceExports } from './wasm/distance-module';
import { SlotMap } from './slot-map';

/** The slice of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly declarations). */
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65_536;
/** wasm32 addresses 4 GiB; keep a margin for the scratch arrays. */
export const MAX_WASM_BYTES = 4 * 1024 ** 3 - PAGE;

let compiled: object | null | undefined;

/** The compiled module, or null where this runtime has no WebAssembly SIMD. */
function distanceModule(): object | null {
  if (compiled !== undefined) return compiled;
  if (!wasm) return (compiled = null);
  try {
    const bytes = distanceModuleBytes(1);
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export function wasmSimdAvailable(): boolean {
  return distanceModule() !== null;
}

/** Rows the spare region of compactSlots holds. */
export function spareRowsFor(count: number): number {
  return Math.ceil(count / 16);
}

export function wasmBytesFor(count: number, dim: number): number {
  const spare = spareRowsFor(count);
  return 64 + count * dim * 4 + 7 * count * 4 + 8 + count * 8 + (MAX_SUBSPACE_DIM + 1) * (count * 4 + 8) + spare * (dim + 1) * 4 + dim * 4 + 16 + hotRowsFor(count) * (dim + 1) * 4 + 256;
}

/**
 * The SIMD kernel. Its matrix lives inside the module's memory, so the loader
 * writes each vector straight there: the matrix exists once, never copied to
 * the kernel. Layout: [64-byte pad][vectors][mind][listIndex][listOut]
 * [rowAt][slotOf][slotMind][rowMind][slotRef (8-aligned)][centerCoords][slotCoords]
 * [spare rows][spare index][w][counters][hot rows][hot mind]. Rows stay in row order
 * (other strategies read `vectors` in place); the slot scans read rows
 * through rowAt.
 * Returns null where SIMD is unavailable or the matrix exceeds 4 GiB.
 */
export function createWasmKernel(count: number, dim: number): DistanceKernel | null {
  checkShape(count, dim);
  const module = distanceModule();
  const bytes = wasmBytesFor(count, dim);
  if (!module || !wasm || bytes > MAX_WASM_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const exports = new wasm.Instance(module, { env: { memory } }).exports as unknown as DistanceExports;
  const xPtr = 64;
  const mindPtr = xPtr + count * dim * 4;
  const indexPtr = mindPtr + count * 4;
  const outPtr = indexPtr + count * 4;
  const rowAtPtr = outPtr + count * 4;
  const slotOfPtr = rowAtPtr + count * 4;
  const slotMindPtr = slotOfPtr + count * 4;
  const rowMindPtr = slotMindPtr + count * 4;
  const slotRefPtr = Math.ceil((rowMindPtr + count * 4) / 8) * 8;
  const ccPtr = slotRefPtr + count * 8;
  const coordsPtr = ccPtr + (MAX_SUBSPACE_DIM + 1) * 8;
  const spare = spareRowsFor(count);
  const sparePtr = coordsPtr + (MAX_SUBSPACE_DIM + 1) * count * 4;
  const spareIndexPtr = sparePtr + spare * dim * 4;
  const wPtr = spareIndexPtr + spare * 4;
  /** Slots whose rows sit in the spare region (compactSlots), empty until then. */
  let compactFrom = 0;
  let compactTo = 0;
  const countersPtr = wPtr + dim * 4;
  const hotCapacity = hotRowsFor(count);
  const hotPtr = countersPtr + 16;
  const hotMindPtr = hotPtr + hotCapacity * dim * 4;
  const rowBytes = dim * 4;
  const { pairs, odd, tail } = splitDim(dim);
  const buffer = memory.buffer;
  const vectors = new Float32Array(buffer, xPtr, count * dim);
  const listIndex = new Int32Array(buffer, indexPtr, count);
  const w = new Float32Array(buffer, wPtr, dim);
  const slots = new SlotMap(new Int32Array(buffer, rowAtPtr, count), new Int32Array(buffer, slotOfPtr, count));
  const { rowAt, slotOf } = slots;
  return {
    kind: 'wasm-simd',
    count,
    dim,
    vectors,
    mind: new Float32Array(buffer, mindPtr, count),
    listIndex,
    listOut: new Float32Array(buffer, outPtr, count),
    updateAll: (center, start, end) => exports.update_all(xPtr, rowBytes, xPtr + center * rowBytes, mindPtr, start, end, pairs, odd, tail),
    distancesToList: (center, m) => exports.dist_list(xPtr, rowBytes, xPtr + center * rowBytes, indexPtr, m, outPtr, pairs, odd, tail),
    squaredDistance: (a, b) => exports.sq_dist(xPtr + a * rowBytes, xPtr + b * rowBytes, pairs, odd, tail),
    streamOnce() {
      const totalBytes = count * dim * 4;
      const chunks = Math.floor(totalBytes / 64);
      let s = exports.stream_sum(xPtr, chunks);
      for (let i = (chunks * 64) / 4; i < count * dim; i++) s += vectors[i]!;
      return s;
    },
    get arranged() {
      return slots.arranged;
    },
    rowAt,
    slotOf,
    arrange: (order) => slots.arrange(order),
    vectorOffset: (row) => row * dim,
    projectList(weights, m) {
      w.set(weights);
      exports.proj_list(xPtr, rowBytes, wPtr, indexPtr, m, outPtr, Math.floor(dim / 4), dim % 4);
    },
    rangeDistances(center, from, to) {
      listIndex.set(rowAt.subarray(from, to));
      exports.dist_list(xPtr, rowBytes, xPtr + center * rowBytes, indexPtr, to - from, outPtr, pairs, odd, tail);
    },
    slotMind: new Float32Array(buffer, slotMindPtr, count),
    slotRef: new Float64Array(buffer, slotRefPtr, count),
    slotMindOwner: null,
    scanCounters: new Int32Array(buffer, countersPtr, 2),
    slotCoords: new Float32Array(buffer, coordsPtr, (MAX_SUBSPACE_DIM + 1) * count),
    centerCoords: new Float64Array(buffer, ccPtr, MAX_SUBSPACE_DIM + 1),
    compactSlots(from, to) {
      if (to - from > spare || from < 0 || to > count) return false;
      const index = new Int32Array(buffer, spareIndexPtr, to - from);
      const copy = new Float32Array(buffer, sparePtr, (to - from) * dim);
      for (let s = from; s < to; s++) {
        copy.set(vectors.subarray(rowAt[s]! * dim, rowAt[s]! * dim + dim), (s - from) * dim);
        index[s - from] = s - from;
      }
      compactFrom = from;
      compactTo = to;
      return true;
    },
    scanSlots(center, from, to, d, margin, shrink, k1, slack) {
      // Inside the compacted slots the scan streams the spare copy: rows[s] is s − compactFrom there, counted from the spare region.
      const inSpare = from >= compactFrom && to <= compactTo && to > from;
      return exports.scan_slots(
        inSpare ? sparePtr : xPtr, rowBytes, xPtr + center * rowBytes, inSpare ? spareIndexPtr - compactFrom * 4 : rowAtPtr,
        slotMindPtr, slotRefPtr, from, to, d, margin, shrink, pairs, odd, tail, countersPtr, coordsPtr, ccPtr, k1, slack,
      );
    },
    rowMind: new Float32Array(buffer, rowMindPtr, count),
    fullStepRows: (center) => exports.update_all(xPtr, rowBytes, xPtr + center * rowBytes, rowMindPtr, 0, count, pairs, odd, tail),
    hotCapacity,
    hotOwner: null,
    hotMind: new Float32Array(buffer, hotMindPtr, hotCapacity),
    loadHotRows(rows, m) {
      if (m > hotCapacity) throw new RangeError(`hot rows: ${m} exceed the capacity ${hotCapacity}`);
      const copy = new Float32Array(buffer, hotPtr, m * dim);
      for (let j = 0; j < m; j++) copy.set(vectors.subarray(rows[j]! * dim, rows[j]! * dim + dim), j * dim);
    },
    hotStep: (center, m) => exports.update_all(hotPtr, rowBytes, xPtr + center * rowBytes, hotMindPtr, 0, m, pairs, odd, tail),
  };
}
