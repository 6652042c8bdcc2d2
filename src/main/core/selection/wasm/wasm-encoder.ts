/**
 * A tiny WebAssembly binary encoder: just enough to emit one module with an
 * imported memory and a few exported functions. It exists so the SIMD
 * distance kernel is built from readable source in this repository with no
 * compiler toolchain (see distance-module.ts for the functions themselves).
 * Format reference: https://webassembly.github.io/spec/core/binary/
 */

export const valType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof valType)[keyof typeof valType];

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 for i32 constants. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function f32Bytes(value: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return [...b];
}

function f64Bytes(value: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value, true);
  return [...b];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Instruction helpers: each returns the bytes of one instruction. Memory offsets are byte offsets. */
const SIMD = 0xfd;
export const op = {
  block: () => [0x02, 0x40],
  loop: () => [0x03, 0x40],
  if: () => [0x04, 0x40],
  else: () => [0x05],
  end: () => [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  call: (fn: number) => [0x10, ...uleb(fn)],
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  f32Load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  i32Store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  f32Store: (offset = 0) => [0x38, 2, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  f32Const: (v: number) => [0x43, ...f32Bytes(v)],
  f64Const: (v: number) => [0x44, ...f64Bytes(v)],
  i32Eqz: () => [0x45],
  i32LtS: () => [0x48],
  i32GeS: () => [0x4e],
  f32Lt: () => [0x5d],
  f32Gt: () => [0x5e],
  f32Ge: () => [0x60],
  f64Gt: () => [0x64],
  f64Ge: () => [0x66],
  i32And: () => [0x71],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32Mul: () => [0x6c],
  f32Add: () => [0x92],
  f32Sub: () => [0x93],
  f32Mul: () => [0x94],
  f64Abs: () => [0x99],
  f64Sqrt: () => [0x9f],
  f64Add: () => [0xa0],
  f64Sub: () => [0xa1],
  f64Mul: () => [0xa2],
  f64PromoteF32: () => [0xbb],
  /** memory.copy (bulk memory): dst, src, bytes on the stack. */
  memoryCopy: () => [0xfc, ...uleb(10), 0x00, 0x00],
  v128Load: (offset = 0) => [SIMD, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: (offset = 0) => [SIMD, ...uleb(0x0b), 4, ...uleb(offset)],
  i8x16Shuffle: (lanes: number[]) => [SIMD, ...uleb(0x0d), ...lanes],
  f32x4Splat: () => [SIMD, ...uleb(0x13)],
  f32x4ExtractLane: (lane: number) => [SIMD, ...uleb(0x1f), lane],
  f32x4Add: () => [SIMD, ...uleb(0xe4)],
  f32x4Sub: () => [SIMD, ...uleb(0xe5)],
  f32x4Mul: () => [SIMD, ...uleb(0xe6)],
  f64x2PromoteLowF32x4: () => [SIMD, ...uleb(0x5f)],
  f64x2Add: () => [SIMD, ...uleb(0xf0)],
};

export interface FunctionDef {
  name: string | null;
  params: ValType[];
  results: ValType[];
  /** Extra locals after the params, in order. */
  locals: ValType[];
  body: number[][];
}

/** Most pages a wasm32 memory has (4 GiB): the declared maximum of a shared memory import. */
const MAX_PAGES = 65_536;

/**
 * A module that imports `env.memory` (of at least `minPages` pages) and
 * exports the named functions; `shared` declares the memory shared (limits
 * flag 3, which needs a maximum), so that several threads can instantiate
 * the module over one memory.
 */
export function encodeModule(functions: FunctionDef[], minPages: number, shared = false): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const limits = shared ? [0x03, ...uleb(minPages), ...uleb(MAX_PAGES)] : [0x00, ...uleb(minPages)];
  const importSec = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const funcSec = vec(functions.map((_, i) => uleb(i)));
  const exportSec = vec(
    functions.flatMap((f, i) => (f.name ? [[...name(f.name), 0x00, ...uleb(i)]] : [])),
  );
  const codeSec = vec(
    functions.map((f) => {
      const locals = vec(f.locals.map((t) => [1, t]));
      const body = [...locals, ...f.body.flat(), 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, importSec),
    ...section(3, funcSec),
    ...section(7, exportSec),
    ...section(10, codeSec),
  ]);
}
