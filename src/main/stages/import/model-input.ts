import sharp, { type Sharp } from 'sharp';
import type { ImageHeader } from './image-header';

/** The autoencoder's input shape: size × size pixels, gray or RGB. */
export interface PixelSpec {
  size: number;
  channels: 1 | 3;
}

/** A model input made at import, stored in the pixel cache under the file's content hash. */
export interface ModelInput extends PixelSpec {
  data: Uint8Array;
}

/**
 * The model's input from an image pipeline: EXIF orientation applied, alpha
 * flattened onto white, squashed to size × size (no crop, so nothing of the
 * object is cut away), gray or RGB, uint8 HWC. Training and embedding read
 * these bytes; an import that decodes an image anyway makes them in the same
 * pass (readImage), and whatever is missing later is decoded from the file.
 */
export async function modelInputFrom(image: Sharp, spec: PixelSpec): Promise<Uint8Array> {
  let pipeline = image.rotate().flatten({ background: '#ffffff' }).resize(spec.size, spec.size, { fit: 'fill', kernel: 'lanczos3' });
  pipeline = spec.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const expected = spec.size * spec.size * spec.channels;
  if (info.channels !== spec.channels || data.length !== expected) {
    // sharp keeps an extra band for some inputs; take the first `channels` of each pixel.
    const out = new Uint8Array(expected);
    for (let p = 0; p < spec.size * spec.size; p++) for (let c = 0; c < spec.channels; c++) out[p * spec.channels + c] = data[p * info.channels + Math.min(c, info.channels - 1)]!;
    return out;
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Largest image (pixels) whose decoded pixels an import holds to make its thumbnail and model input from one decode. */
export const SHARED_DECODE_MAX_PIXELS = 1024 * 1024;

/**
 * Whether an image is decoded once for both its thumbnail and its model
 * input: an 8-bit gray or sRGB PNG, upright, small enough to hold decoded. Every sharp
 * call has a fixed cost comparable to decoding a small image, and a second
 * decode at embedding time costs as much again. Only PNG: JPEG and WebP
 * decoders shrink while they decode when the pipeline downsizes, so their
 * model input from full decoded pixels would differ from the one decoded
 * from the file; and sharp turns an EXIF-oriented image after resizing it,
 * not before. Other images keep their own pipelines, and their model
 * input is made when first needed.
 */
export function decodesOnce(meta: ImageHeader): boolean {
  return meta.format === 'png' && meta.bitDepth === 8 && (meta.space === 'srgb' || meta.space === 'b-w') && meta.width * meta.height <= SHARED_DECODE_MAX_PIXELS && meta.orientation <= 1;
}

/** Decoded pixels, EXIF orientation applied, as a pipeline input for the thumbnail and the model input alike. */
export interface DecodedPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export async function decodePixels(bytes: Buffer, limitInputPixels: number): Promise<DecodedPixels> {
  const { data, info } = await sharp(bytes, { limitInputPixels, failOn: 'error' }).rotate().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export function pixelsImage(pixels: DecodedPixels): Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
}
