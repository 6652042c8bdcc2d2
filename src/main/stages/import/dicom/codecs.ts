import { createRequire } from 'node:module';

/**
 * The WebAssembly decoders, loaded from their npm packages on first use
 * (each reads its .wasm file from beside its script; nothing is fetched).
 * One instance per codec serves the whole process.
 */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete(): void;
}

interface CodecModule {
  JPEGDecoder?: new () => WasmDecoder;
  JpegLSDecoder?: new () => WasmDecoder;
  J2KDecoder?: new () => WasmDecoder;
}

export type WasmCodec = 'jpeg-baseline' | 'jpeg-ls' | 'jpeg-2000';

const SCRIPTS: Record<WasmCodec, string> = {
  'jpeg-baseline': '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  'jpeg-ls': '@cornerstonejs/codec-charls/decodewasmjs',
  'jpeg-2000': '@cornerstonejs/codec-openjpeg/decodewasmjs',
};

const require = createRequire(import.meta.url);
const loaded = new Map<WasmCodec, Promise<CodecModule>>();

function load(codec: WasmCodec): Promise<CodecModule> {
  let module = loaded.get(codec);
  if (!module) {
    const factory = require(SCRIPTS[codec]) as (options?: object) => Promise<CodecModule>;
    module = factory();
    loaded.set(codec, module);
  }
  return module;
}

/** Runs one compressed frame through a wasm decoder and copies the pixels out of its heap. */
export async function decodeWithWasm(codec: WasmCodec, encoded: Uint8Array): Promise<{ pixels: Uint8Array; width: number; height: number; bitsPerSample: number; components: number }> {
  const module = await load(codec);
  const Decoder = module.JPEGDecoder ?? module.JpegLSDecoder ?? module.J2KDecoder;
  if (!Decoder) throw new Error(`the ${codec} codec has no decoder`);
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    return { pixels: decoder.getDecodedBuffer().slice(), width: info.width, height: info.height, bitsPerSample: info.bitsPerSample, components: info.componentCount };
  } finally {
    decoder.delete();
  }
}
