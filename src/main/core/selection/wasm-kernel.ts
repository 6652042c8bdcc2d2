import { availableParallelism } from 'node:os';
import { checkShape, hotRowsFor, MAX_SUBSPACE_DIM, splitDim, type DistanceKernel } from './distance-kernel';
import { distanceModuleBytes, type DistanceExports } from './wasm/distance-module';
import { SlotMap } from './slot-map';
import { StepHelper } from './wasm/step-helper';
import { addColumnSumsWasm } from './wasm/column-sums-call';

/** The slice of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly declarations). */
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65_536;
/** wasm32 addresses 4 GiB; keep a margin for the scratch arrays. */
export const MAX_WASM_BYTES = 4 * 1024 ** 3 - PAGE;

const compiled = new Map<boolean, object | null>();

/** The compiled module (for a shared memory or not), or null where this runtime has no WebAssembly SIMD (or threads). */
function distanceModule(shared = false): object | null {
  if (compiled.has(shared)) return compiled.get(shared)!;
  let module: object | null = null;
  try {
    const bytes = distanceModuleBytes(1, shared);
    module = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    module = null;
  }
  compiled.set(shared, module);
  return module;
}

/**
 * Values (rows × dim) from which a full step is split over two threads
 * (StepHelper): 2^22, a 16 MB matrix, whose step takes far longer than the
 * message round trip to the helper thread.
 */
export const TWO_THREAD_VALUES = 2 ** 22;

export function wasmSimdAvailable(): boolean {
  return distanceModule() !== null;
}

/** Rows the spare region of compactSlots holds. */
export function spareRowsFor(count: number): number {
  return Math.ceil(count / 16);
}

export function wasmBytesFor(count: number, dim: number): number {
  const spare = spareRowsFor(count);
  return 64 + count * dim * 4 + 7 * count * 4 + 8 + count * 8 + (MAX_SUBSPACE_DIM + 1) * (count * 4 + 8) + spare * (dim + 1) * 4 + dim * 4 + 16 + 16 + hotRowsFor(count) * (dim + 1) * 4 + 8 + dim * 8 + 256;
}

/**
 * The SIMD kernel. Its matrix lives inside the module's memory, so the loader
 * writes each vector straight there: the matrix exists once, never copied to
 * the kernel. Layout: [64-byte pad][vectors][mind][listIndex][listOut]
 * [rowAt][slotOf][slotMind][rowMind][slotRef (8-aligned)][centerCoords][slotCoords]
 * [spare rows][spare index][w][counters][helper flag][hot rows][hot mind]
 * [column sums (8-aligned)]. Rows stay in row order
 * (other strategies read `vectors` in place); the slot scans read rows
 * through rowAt.
 * With `threads` 2 (default: 2 from TWO_THREAD_VALUES values on a machine
 * of two cores or more) the memory is shared and the full steps (updateAll,
 * fullStepRows) run half on a helper thread (wasm/step-helper.ts).
 * Returns null where SIMD is unavailable or the matrix exceeds 4 GiB.
 */
export function createWasmKernel(count: number, dim: number, threads?: 1 | 2): DistanceKernel | null {
  checkShape(count, dim);
  const two = (threads ?? (count * dim >= TWO_THREAD_VALUES && availableParallelism() >= 2 ? 2 : 1)) === 2 && distanceModule(true) !== null;
  const module = distanceModule(two);
  const bytes = wasmBytesFor(count, dim);
  if (!module || !wasm || bytes > MAX_WASM_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: two });
  const exports = new wasm.Instance(module, { env: { memory } }).exports as unknown as DistanceExports;
  const { xPtr, mindPtr, indexPtr, outPtr, rowAtPtr, slotOfPtr, slotMindPtr, rowMindPtr, slotRefPtr, ccPtr, coordsPtr, spare, sparePtr, spareIndexPtr, wPtr, countersPtr, hotCapacity, flagPtr, hotPtr, hotMindPtr, sumsPtr } = wasmLayout(count, dim);
  /** Slots whose rows sit in the spare region (compactSlots), empty until then. */
  let compactFrom = 0;
  let compactTo = 0;
  const rowBytes = dim * 4;
  const { pairs, odd, tail } = splitDim(dim);
  const buffer = memory.buffer;
  const vectors = new Float32Array(buffer, xPtr, count * dim);
  const listIndex = new Int32Array(buffer, indexPtr, count);
  const w = new Float32Array(buffer, wPtr, dim);
  const slots = new SlotMap(new Int32Array(buffer, rowAtPtr, count), new Int32Array(buffer, slotOfPtr, count));
  const { rowAt, slotOf } = slots;
  const mind = new Float32Array(buffer, mindPtr, count);
  const rowMind = new Float32Array(buffer, rowMindPtr, count);
  const listOut = new Float32Array(buffer, outPtr, count);
  const sums = new Float64Array(buffer, sumsPtr, dim);
  let helper: StepHelper | null = null;
  /** Steps over fewer rows stay on one thread (any count when two threads were asked for: tests). */
  const splitRows = threads === 2 ? 2 : TWO_THREAD_VALUES / 2 / dim;
  /** update_all over rows start..end from the vector at byte address centerPtr, with min-distances at ptr (the array `m`), in two halves where a helper runs. */
  const step = (centerPtr: number, ptr: number, m: Float32Array, start: number, end: number): number => {
    const args = (from: number, to: number) => [xPtr, rowBytes, centerPtr, ptr, from, to, pairs, odd, tail] as const;
    if (!helper?.usable || end - start < splitRows) return exports.update_all(...args(start, end));
    const mid = start + ((end - start) >> 1);
    helper.start([...args(mid, end)]);
    const a = exports.update_all(...args(start, mid));
    const b = helper.finish() ?? exports.update_all(...args(mid, end));
    if (b < 0) return a;
    return a < 0 || m[b]! > m[a]! ? b : a;
  };
  const kernel: DistanceKernel = {
    kind: 'wasm-simd',
    count,
    dim,
    vectors,
    mind,
    mindOwner: null,
    listIndex,
    listOut,
    updateAll: (center, start, end) => step(xPtr + center * rowBytes, mindPtr, mind, start, end),
    distancesToList: (center, m) => exports.dist_list(xPtr, rowBytes, xPtr + center * rowBytes, indexPtr, m, outPtr, pairs, odd, tail),
    squaredDistance: (a, b) => exports.sq_dist(xPtr + a * rowBytes, xPtr + b * rowBytes, pairs, odd, tail),
    pointStep(point) {
      // The point goes where projectList's weights go: both are dim values read for one call.
      w.set(point.subarray(0, dim));
      return step(wPtr, outPtr, listOut, 0, count);
    },
    addColumnSums(from, to, into) {
      sums.set(into.subarray(0, dim));
      addColumnSumsWasm(exports, { xPtr, rowBytes, dim, sumsPtr }, from, to);
      into.set(sums);
    },
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
    rowMind,
    fullStepRows: (center) => step(xPtr + center * rowBytes, rowMindPtr, rowMind, 0, count),
    hotCapacity,
    hotOwner: null,
    hotMind: new Float32Array(buffer, hotMindPtr, hotCapacity),
    loadHotRows(rows, m) {
      if (m > hotCapacity) throw new RangeError(`hot rows: ${m} exceed the capacity ${hotCapacity}`);
      // Inside the module (the row indices through listIndex, scratch between calls): copies into its shared memory from JavaScript take a slow path.
      listIndex.set(rows.subarray(0, m));
      exports.copy_rows(xPtr, rowBytes, indexPtr, m, hotPtr);
    },
    hotStep: (center, m) => exports.update_all(hotPtr, rowBytes, xPtr + center * rowBytes, hotMindPtr, 0, m, pairs, odd, tail),
  };
  if (two) helper = StepHelper.tryStart(kernel, module, memory, flagPtr);
  return kernel;
}

/** Byte offsets of the kernel's regions in the module's memory (the layout createWasmKernel describes), and the spare and hot row capacities. */
function wasmLayout(count: number, dim: number) {
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
  const countersPtr = wPtr + dim * 4;
  const hotCapacity = hotRowsFor(count);
  const flagPtr = countersPtr + 16;
  const hotPtr = flagPtr + 16;
  const hotMindPtr = hotPtr + hotCapacity * dim * 4;
  const sumsPtr = Math.ceil((hotMindPtr + hotCapacity * 4) / 8) * 8;
  return { xPtr, mindPtr, indexPtr, outPtr, rowAtPtr, slotOfPtr, slotMindPtr, rowMindPtr, slotRefPtr, ccPtr, coordsPtr, spare, sparePtr, spareIndexPtr, wPtr, countersPtr, hotCapacity, flagPtr, hotPtr, hotMindPtr, sumsPtr };
}
