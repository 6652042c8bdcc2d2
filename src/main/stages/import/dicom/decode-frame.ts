import dicomParser from 'dicom-parser';
import { Decoder as LosslessJpegDecoder } from 'jpeg-lossless-decoder-js';
import { messageOf } from '../../../core/errors';
import { ImageRejected } from '../image-rejected';
import { decodeWithWasm } from './codecs';
import type { DicomImage } from './parse';
import { decodeRleFrame } from './rle';

/**
 * One frame's stored values, before rescale: gray as one value per pixel,
 * colour as RGB triplets (YBR converted), row-major.
 */
export type FrameValues = Uint8Array | Uint16Array | Int16Array;

/** Decodes frame `index` (0-based) of the image. Throws ImageRejected naming what failed. */
export async function decodeFrame(image: DicomImage, index: number): Promise<FrameValues> {
  const pixels = image.rows * image.columns;
  const bytesPerSample = image.bitsAllocated / 8;
  const frameBytes = pixels * image.samplesPerPixel * bytesPerSample;
  let bytes: Uint8Array;
  let planar = image.planarConfiguration === 1;
  let colourConverted = false;
  switch (image.syntax.encoding) {
    case 'native': {
      const start = image.pixelData.dataOffset + index * frameBytes;
      bytes = image.dataSet.byteArray.subarray(start, start + frameBytes);
      break;
    }
    case 'rle':
      bytes = decodeRleFrame(encapsulatedFrame(image, index), pixels, image.samplesPerPixel, bytesPerSample);
      planar = true;
      break;
    case 'jpeg-lossless':
      bytes = decodeLosslessJpeg(encapsulatedFrame(image, index), bytesPerSample, frameBytes);
      planar = false;
      break;
    default: {
      const decoded = await decodeWithWasm(image.syntax.encoding, encapsulatedFrame(image, index)).catch((err: unknown) => {
        throw new ImageRejected(`cannot decode ${image.syntax.name} frame ${index + 1}: ${wasmMessage(err)}`);
      });
      if (decoded.width !== image.columns || decoded.height !== image.rows || decoded.components !== image.samplesPerPixel) {
        throw new ImageRejected(
          `cannot decode ${image.syntax.name} frame ${index + 1}: it decodes to ${decoded.width}×${decoded.height}×${decoded.components}, the header says ${image.columns}×${image.rows}×${image.samplesPerPixel}`,
        );
      }
      bytes = decoded.pixels;
      planar = false;
      // libjpeg and OpenJPEG return RGB whatever the header's YBR says (they undo the colour transform themselves).
      colourConverted = true;
      break;
    }
  }
  if (bytes.length < frameBytes) throw new ImageRejected(`truncated DICOM frame ${index + 1}: ${bytes.length} of ${frameBytes} bytes`);
  const values = typedValues(bytes.subarray(0, frameBytes), image);
  const interleaved = image.samplesPerPixel === 3 && planar ? interleave(values as Uint8Array, pixels) : values;
  if (image.samplesPerPixel === 3 && image.photometric.startsWith('YBR') && !colourConverted) ybrToRgb(interleaved as Uint8Array);
  return interleaved;
}

/** The compressed bytes of one frame: one fragment per frame is the rule, several fragments per frame the exception. */
function encapsulatedFrame(image: DicomImage, index: number): Uint8Array {
  const { dataSet, pixelData } = image;
  const fragments = pixelData.fragments ?? [];
  try {
    if (image.frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, fragments.length);
    if (fragments.length === image.frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, index, 1);
    const offsets = pixelData.basicOffsetTable?.length ? pixelData.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(dataSet, pixelData);
    return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, index, offsets);
  } catch (err) {
    throw new ImageRejected(`truncated DICOM file: frame ${index + 1} of ${image.frames} cannot be read (${typeof err === 'string' ? err : messageOf(err)})`);
  }
}

function decodeLosslessJpeg(encoded: Uint8Array, bytesPerSample: number, frameBytes: number): Uint8Array {
  try {
    const decoder = new LosslessJpegDecoder();
    // A copy in its own ArrayBuffer (Buffer.slice would share the file's): the decoder takes a buffer and offsets.
    const copy = new Uint8Array(encoded);
    const out = decoder.decode(copy.buffer, 0, copy.length, bytesPerSample);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, Math.min(out.byteLength, frameBytes));
    return bytes;
  } catch (err) {
    throw new ImageRejected(`cannot decode JPEG Lossless frame: ${messageOf(err)}`);
  }
}

/** Little-endian bytes to values, masked or sign-extended to Bits Stored (a 12-bit CT in 16-bit words). */
function typedValues(bytes: Uint8Array, image: DicomImage): FrameValues {
  if (image.bitsAllocated === 8) return bytes;
  // A Uint16Array needs an even byte offset; the native pixel data of a file can start anywhere.
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : new Uint8Array(bytes);
  const count = aligned.length / 2;
  const shift = 16 - Math.min(16, Math.max(1, image.bitsStored));
  if (image.signed) {
    const values = new Int16Array(aligned.buffer, aligned.byteOffset, count);
    if (shift === 0) return values;
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) out[i] = (values[i]! << (16 + shift)) >> (16 + shift);
    return out;
  }
  const values = new Uint16Array(aligned.buffer, aligned.byteOffset, count);
  if (shift === 0) return values;
  const mask = 0xffff >>> shift;
  // Most files leave the unused high bits zero: a read-only look then spares a masked copy of the frame.
  let clean = true;
  for (let i = 0; i < count && clean; i++) clean = values[i]! <= mask;
  if (clean) return values;
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = values[i]! & mask;
  return out;
}

function interleave(planes: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    out[3 * p] = planes[p]!;
    out[3 * p + 1] = planes[pixels + p]!;
    out[3 * p + 2] = planes[2 * pixels + p]!;
  }
  return out;
}

/** YBR_FULL to RGB in place (PS3.3 C.7.6.3.1.2, the JFIF equations). */
function ybrToRgb(rgb: Uint8Array): void {
  for (let i = 0; i < rgb.length; i += 3) {
    const y = rgb[i]!;
    const cb = rgb[i + 1]! - 128;
    const cr = rgb[i + 2]! - 128;
    rgb[i] = clampByte(y + 1.402 * cr);
    rgb[i + 1] = clampByte(y - 0.344136 * cb - 0.714136 * cr);
    rgb[i + 2] = clampByte(y + 1.772 * cb);
  }
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Emscripten throws bare numbers (pointers to C++ exceptions) or strings. */
function wasmMessage(err: unknown): string {
  if (typeof err === 'number') return 'the codec rejected the data';
  return messageOf(err).split('\n')[0]!.slice(0, 200);
}
