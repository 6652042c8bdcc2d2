import { checkShape, splitDim, type DistanceKernel } from './distance-kernel';
import { distanceModuleBytes, type DistanceExports } from './wasm/distance-module';

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

export function wasmBytesFor(count: number, dim: number): number {
  return 64 + count * dim * 4 + 4 * count * 4 + 8 + count * 8 + dim * 4 + 16 + 256;
}

/**
 * The SIMD kernel. Its matrix lives inside the module's memory, so the loader
 * writes each vector straight there: the matrix exists once, never copied to
 * the kernel. Layout: [64-byte pad][vectors][mind][listIndex][listOut]
 * [slotMind][slotRef (8-aligned)][w][counters]. `arrange` moves the rows in
 * place (following the permutation's cycles with one row of scratch).
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
  const slotMindPtr = outPtr + count * 4;
  const slotRefPtr = Math.ceil((slotMindPtr + count * 4) / 8) * 8;
  const wPtr = slotRefPtr + count * 8;
  const countersPtr = wPtr + dim * 4;
  const rowBytes = dim * 4;
  const { pairs, odd, tail } = splitDim(dim);
  const buffer = memory.buffer;
  const vectors = new Float32Array(buffer, xPtr, count * dim);
  const mind = new Float32Array(buffer, mindPtr, count);
  const listIndex = new Int32Array(buffer, indexPtr, count);
  const listOut = new Float32Array(buffer, outPtr, count);
  const w = new Float32Array(buffer, wPtr, dim);
  const rowAt = new Int32Array(count);
  const slotOf = new Int32Array(count);
  for (let i = 0; i < count; i++) rowAt[i] = slotOf[i] = i;
  let arranged = false;
  const at = (row: number) => xPtr + slotOf[row]! * rowBytes;
  const distance = (a: number, b: number) => exports.sq_dist(at(a), at(b), pairs, odd, tail);
  return {
    kind: 'wasm-simd',
    count,
    dim,
    vectors,
    mind,
    listIndex,
    listOut,
    updateAll(center, start, end) {
      if (!arranged) return exports.update_all(xPtr, rowBytes, xPtr + center * rowBytes, mindPtr, start, end, pairs, odd, tail);
      // Rows are no longer at their own index: the same loop, one distance at a time (no engine path uses it).
      let best = -0.5;
      let bestRow = -1;
      for (let i = start; i < end; i++) {
        let m = mind[i]!;
        if (!(m >= 0)) continue;
        const s = distance(i, center);
        if (s < m) mind[i] = m = s;
        if (m > best) [best, bestRow] = [m, i];
      }
      return bestRow;
    },
    distancesToList(center, m) {
      if (!arranged) return exports.dist_list(xPtr, rowBytes, xPtr + center * rowBytes, indexPtr, m, outPtr, pairs, odd, tail);
      for (let j = 0; j < m; j++) listOut[j] = distance(listIndex[j]!, center);
    },
    squaredDistance: distance,
    streamOnce() {
      const totalBytes = count * dim * 4;
      const chunks = Math.floor(totalBytes / 64);
      let s = exports.stream_sum(xPtr, chunks);
      for (let i = (chunks * 64) / 4; i < count * dim; i++) s += vectors[i]!;
      return s;
    },
    get arranged() {
      return arranged;
    },
    rowAt,
    slotOf,
    arrange(order) {
      if (arranged) throw new Error('distance kernel: already arranged');
      if (order.length !== count) throw new RangeError(`arrange: ${order.length} slots for ${count} rows`);
      rowAt.set(order);
      for (let s = 0; s < count; s++) slotOf[rowAt[s]!] = s;
      // Slot s must receive the row now stored at index rowAt[s]: follow each cycle once, holding its first row aside.
      const done = new Uint8Array(count);
      const hold = new Float32Array(dim);
      for (let s = 0; s < count; s++) {
        if (done[s] || rowAt[s] === s) continue;
        hold.set(vectors.subarray(s * dim, s * dim + dim));
        let to = s;
        for (;;) {
          done[to] = 1;
          const from = rowAt[to]!;
          if (from === s) {
            vectors.set(hold, to * dim);
            break;
          }
          vectors.copyWithin(to * dim, from * dim, from * dim + dim);
          to = from;
        }
      }
      arranged = true;
    },
    vectorOffset: (row) => slotOf[row]! * dim,
    projectList(weights, m) {
      if (arranged) throw new Error('distance kernel: projectList reads rows by index, before arrange');
      w.set(weights);
      exports.proj_list(xPtr, rowBytes, wPtr, indexPtr, m, outPtr, Math.floor(dim / 4), dim % 4);
    },
    rangeDistances: (center, from, to) => exports.range_dist(xPtr, rowBytes, at(center), from, to, outPtr, pairs, odd, tail),
    slotMind: new Float32Array(buffer, slotMindPtr, count),
    slotRef: new Float64Array(buffer, slotRefPtr, count),
    slotMindOwner: null,
    scanCounters: new Int32Array(buffer, countersPtr, 2),
    scanSlots: (center, from, to, d, margin, shrink) =>
      exports.scan_slots(xPtr, rowBytes, at(center), slotMindPtr, slotRefPtr, from, to, d, margin, shrink, pairs, odd, tail, countersPtr),
  };
}
