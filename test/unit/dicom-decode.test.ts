import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, type FrameValues } from '../../src/main/stages/import/dicom/decode-frame';
import { parseDicom } from '../../src/main/stages/import/dicom/parse';
import { percentileWindow, windowToBytes } from '../../src/main/stages/import/dicom/window';
import { encodeJpeg2000, encodeJpegBaseline, encodeJpegLossless, encodeJpegLs, encodeRle } from '../helpers/dicom-encoders';
import { littleEndian, SYNTAX, writeDicom, type TestImage } from '../helpers/dicom-writer';

const W = 37;
const H = 23;

/** A ramp with structure in both directions, every value distinct enough that a swapped byte or a shifted row shows. */
function gray16(seed = 0, max = 4095): Uint16Array {
  const out = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = (x * 97 + y * 131 + seed * 17 + ((x * y) % 13) * 5) % (max + 1);
  return out;
}

function gray8(seed = 0): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = (x * 7 + y * 11 + seed * 3) % 256;
  return out;
}

function rgb8(): Uint8Array {
  const out = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) {
    out[3 * p] = (p * 3) % 256;
    out[3 * p + 1] = (p * 5 + 40) % 256;
    out[3 * p + 2] = 255 - ((p * 7) % 256);
  }
  return out;
}

const image16: TestImage = { rows: H, columns: W, bitsAllocated: 16, bitsStored: 12 };
const image8: TestImage = { rows: H, columns: W, bitsAllocated: 8 };

async function decodeAll(file: Buffer): Promise<FrameValues[]> {
  const image = parseDicom(file);
  const frames: FrameValues[] = [];
  for (let i = 0; i < image.frames; i++) frames.push(await decodeFrame(image, i));
  return frames;
}

function assertSame(actual: FrameValues, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) assert.fail(`${what}: value ${i} is ${actual[i]}, expected ${expected[i]}`);
}

test('native pixel data in explicit, implicit and deflated little endian decodes to the written values', async () => {
  const values = gray16();
  for (const syntax of [SYNTAX.explicit, SYNTAX.implicit, SYNTAX.deflated]) {
    const [frame] = await decodeAll(writeDicom(syntax, image16, { native: littleEndian(values) }));
    assertSame(frame!, values, syntax);
  }
  const [eight] = await decodeAll(writeDicom(SYNTAX.explicit, image8, { native: gray8() }));
  assertSame(eight!, gray8(), '8-bit');
});

test('signed 16-bit values with fewer bits stored are sign-extended', async () => {
  const values = new Int16Array(W * H).map((_, i) => (i % 2 ? -1 : 1) * ((i * 37) % 2000));
  // A 12-bit signed value stored with garbage in the unused high bits, as some modalities write it.
  const stored = new Uint16Array(values.length).map((_, i) => (values[i]! & 0x0fff) | 0xa000);
  const [frame] = await decodeAll(writeDicom(SYNTAX.explicit, { ...image16, signed: true, bitsStored: 12 }, { native: littleEndian(stored) }));
  assertSame(frame!, values, 'signed 12-bit');
});

test('RGB native, planar and interleaved, decodes to RGB triplets', async () => {
  const rgb = rgb8();
  const planes = new Uint8Array(rgb.length);
  for (let p = 0; p < W * H; p++) for (let c = 0; c < 3; c++) planes[c * W * H + p] = rgb[3 * p + c]!;
  const image: TestImage = { ...image8, samplesPerPixel: 3 };
  assertSame((await decodeAll(writeDicom(SYNTAX.explicit, image, { native: rgb })))[0]!, rgb, 'interleaved');
  assertSame((await decodeAll(writeDicom(SYNTAX.explicit, { ...image, planar: 1 }, { native: planes })))[0]!, rgb, 'planar');
});

test('RLE lossless: 8-bit, 16-bit and RGB frames decode exactly', async () => {
  const v16 = gray16();
  assertSame((await decodeAll(writeDicom(SYNTAX.rle, image16, { fragments: [encodeRle(v16, 1, 2)] })))[0]!, v16, 'RLE 16-bit');
  const v8 = gray8();
  assertSame((await decodeAll(writeDicom(SYNTAX.rle, image8, { fragments: [encodeRle(v8, 1, 1)] })))[0]!, v8, 'RLE 8-bit');
  const rgb = rgb8();
  assertSame((await decodeAll(writeDicom(SYNTAX.rle, { ...image8, samplesPerPixel: 3 }, { fragments: [encodeRle(rgb, 3, 1)] })))[0]!, rgb, 'RLE RGB');
});

test('JPEG lossless (process 14, SV1) decodes exactly, 8 and 16 bits', async () => {
  const v16 = gray16();
  assertSame((await decodeAll(writeDicom(SYNTAX.jpegLossless, image16, { fragments: [encodeJpegLossless(v16, W, H, 16)] })))[0]!, v16, '16-bit');
  const v8 = gray8();
  assertSame((await decodeAll(writeDicom(SYNTAX.jpegLossless, image8, { fragments: [encodeJpegLossless(v8, W, H, 8)] })))[0]!, v8, '8-bit');
});

test('JPEG-LS and JPEG 2000 lossless decode exactly', async () => {
  const v16 = gray16();
  assertSame((await decodeAll(writeDicom(SYNTAX.jpegLs, image16, { fragments: [await encodeJpegLs(v16, W, H, 16)] })))[0]!, v16, 'JPEG-LS');
  assertSame((await decodeAll(writeDicom(SYNTAX.jpeg2000Lossless, image16, { fragments: [await encodeJpeg2000(v16, W, H, 16)] })))[0]!, v16, 'JPEG 2000');
});

test('JPEG baseline decodes within the loss of a quality-95 JPEG, gray and YBR colour to RGB', async () => {
  const v8 = gray8();
  const [gray] = await decodeAll(writeDicom(SYNTAX.jpegBaseline, image8, { fragments: [await encodeJpegBaseline(v8, W, H, 1)] }));
  assert.ok(meanAbsDiff(gray!, v8) < 3, `gray mean error ${meanAbsDiff(gray!, v8)}`);
  const smooth = new Uint8Array(W * H * 3).map((_, i) => [40, 120, 200][i % 3]! + Math.floor(i / 3 / W));
  const [colour] = await decodeAll(
    writeDicom(SYNTAX.jpegBaseline, { ...image8, samplesPerPixel: 3, photometric: 'YBR_FULL_422' }, { fragments: [await encodeJpegBaseline(smooth, W, H, 3)] }),
  );
  assert.ok(meanAbsDiff(colour!, smooth) < 4, `colour mean error ${meanAbsDiff(colour!, smooth)}`);
});

test('a multi-frame file decodes each frame to its own values, native and encapsulated', async () => {
  const frames = [gray16(0), gray16(1), gray16(2)];
  const native = new Uint8Array(frames.flatMap((f) => [...littleEndian(f)]));
  const decodedNative = await decodeAll(writeDicom(SYNTAX.explicit, { ...image16, frames: 3 }, { native }));
  frames.forEach((f, i) => assertSame(decodedNative[i]!, f, `native frame ${i + 1}`));
  const decodedRle = await decodeAll(writeDicom(SYNTAX.rle, { ...image16, frames: 3 }, { fragments: frames.map((f) => encodeRle(f, 1, 2)) }));
  frames.forEach((f, i) => assertSame(decodedRle[i]!, f, `RLE frame ${i + 1}`));
});

test('window: DICOM linear function, rescale applied first, MONOCHROME1 inverted', () => {
  // Stored 0..1000 step 250 with slope 2, intercept -1000: modality values -1000, -500, 0, 500, 1000.
  const stored = Uint16Array.from([0, 250, 500, 750, 1000]);
  const image = { slope: 2, intercept: -1000, photometric: 'MONOCHROME2', samplesPerPixel: 1 as const };
  const window = { center: 0, width: 2001 };
  assert.deepEqual([...windowToBytes(stored, image, window)], [0, 64, 128, 191, 255]);
  assert.deepEqual([...windowToBytes(stored, { ...image, photometric: 'MONOCHROME1' }, window)], [255, 191, 127, 64, 0]);
  const p = percentileWindow(new Uint16Array(1000).map((_, i) => i), { slope: 1, intercept: 0, signed: false });
  // 0.5th and 99.5th percentiles of 0..999 are 5 and 994: the window spans exactly those values.
  assert.deepEqual(p, { center: 500, width: 990 });
});

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / b.length;
}
