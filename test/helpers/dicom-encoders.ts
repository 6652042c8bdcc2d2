import { createRequire } from 'node:module';

/**
 * Encoders for the compressed transfer syntaxes, so tests can write the
 * files they then import: RLE and JPEG Lossless written here from the
 * standards (PS3.5 Annex G; ITU T.81 Annex H), JPEG baseline, JPEG-LS and
 * JPEG 2000 by the same WebAssembly codec packages' encoders.
 */

/** One RLE frame (PS3.5 Annex G): a segment per sample plane and byte, most significant byte first, PackBits-coded. */
export function encodeRle(values: Uint8Array | Uint16Array | Int16Array, samplesPerPixel: number, bytesPerSample: number): Uint8Array {
  const pixels = values.length / samplesPerPixel;
  const segments: Uint8Array[] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    for (let b = bytesPerSample - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++) plane[p] = ((values[p * samplesPerPixel + s]! & 0xffff) >> (8 * b)) & 0xff;
      segments.push(packBits(plane));
    }
  }
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((seg, i) => {
    view.setUint32(4 + 4 * i, offset, true);
    offset += seg.length;
  });
  const out = new Uint8Array(offset);
  out.set(header);
  let at = 64;
  for (const seg of segments) {
    out.set(seg, at);
    at += seg.length;
  }
  return out;
}

function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let run = 1;
    while (i + run < bytes.length && run < 128 && bytes[i + run] === bytes[i]) run++;
    if (run >= 2) {
      out.push(257 - run, bytes[i]!);
      i += run;
      continue;
    }
    let literal = 1;
    while (i + literal < bytes.length && literal < 128 && !(i + literal + 1 < bytes.length && bytes[i + literal] === bytes[i + literal + 1])) literal++;
    out.push(literal - 1, ...bytes.subarray(i, i + literal));
    i += literal;
  }
  // Segments are padded to an even length.
  if (out.length % 2 === 1) out.push(128);
  return Uint8Array.from(out);
}

/**
 * JPEG Lossless, process 14, first-order prediction (selection value 1),
 * one gray component: the DICOM default lossless syntax (1.2.840.10008.1.2.4.70).
 * One Huffman table with every difference category (0–16) at code length 5.
 */
export function encodeJpegLossless(values: Uint8Array | Uint16Array, width: number, height: number, precision: number): Uint8Array {
  const bytes: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => bytes.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  segment(0xc3, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const counts = new Array<number>(16).fill(0);
  counts[4] = 17;
  segment(0xc4, [0x00, ...counts, ...Array.from({ length: 17 }, (_, k) => k)]);
  segment(0xda, [1, 1, 0x00, 1, 0, 0]);
  let acc = 0;
  let nbits = 0;
  const put = (code: number, length: number) => {
    for (let b = length - 1; b >= 0; b--) {
      acc = (acc << 1) | ((code >> b) & 1);
      if (++nbits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0);
        acc = 0;
        nbits = 0;
      }
    }
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const predicted = x > 0 ? values[i - 1]! : y > 0 ? values[i - width]! : 1 << (precision - 1);
      let diff = (values[i]! - predicted) & 0xffff;
      if (diff >= 0x8000) diff -= 0x10000;
      const category = diff === 0 ? 0 : diff === -32768 ? 16 : 32 - Math.clz32(Math.abs(diff));
      put(category, 5);
      if (category > 0 && category < 16) put(diff > 0 ? diff : diff - 1 + (1 << category), category);
    }
  }
  if (nbits > 0) put((1 << (8 - nbits)) - 1, 8 - nbits);
  bytes.push(0xff, 0xd9);
  return Uint8Array.from(bytes);
}

interface WasmEncoder {
  getDecodedBuffer(info: object): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  setQuality?(...args: unknown[]): void;
  setNearLossless?(n: number): void;
  setDecompositions?(n: number): void;
  delete(): void;
}

const require = createRequire(import.meta.url);

async function withEncoder(script: string, name: string, values: Uint8Array | Uint16Array | Int16Array, info: object, configure: (e: WasmEncoder) => void): Promise<Uint8Array> {
  const module = (await (require(script) as () => Promise<Record<string, new () => WasmEncoder>>)()) as Record<string, new () => WasmEncoder>;
  const encoder = new module[name]!();
  try {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    encoder.getDecodedBuffer(info).set(bytes);
    configure(encoder);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}

const frameInfo = (width: number, height: number, bitsPerSample: number, componentCount: number, isSigned = false) => ({
  width,
  height,
  bitsPerSample,
  componentCount,
  isSigned,
  isUsingColorTransform: false,
});

export function encodeJpegBaseline(values: Uint8Array, width: number, height: number, components: 1 | 3): Promise<Uint8Array> {
  return withEncoder('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs', 'JPEGEncoder', values, frameInfo(width, height, 8, components), (e) => e.setQuality?.(95));
}

export function encodeJpegLs(values: Uint8Array | Uint16Array | Int16Array, width: number, height: number, bits: number, signed = false): Promise<Uint8Array> {
  return withEncoder('@cornerstonejs/codec-charls/wasmjs', 'JpegLSEncoder', values, frameInfo(width, height, bits, 1, signed), (e) => e.setNearLossless?.(0));
}

export function encodeJpeg2000(values: Uint8Array | Uint16Array | Int16Array, width: number, height: number, bits: number, signed = false): Promise<Uint8Array> {
  return withEncoder('@cornerstonejs/codec-openjpeg/wasmjs', 'J2KEncoder', values, frameInfo(width, height, bits, 1, signed), (e) => e.setDecompositions?.(2));
}
