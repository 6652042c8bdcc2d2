import sharp, { type Metadata } from 'sharp';
import { ImageRejected, shortSharpMessage } from './image-rejected';
import { parseJpegHeader } from './jpeg-header';
import { parsePngHeader } from './png-header';

/**
 * Largest image accepted, in pixels (width × height): 100 megapixels. Larger
 * files are skipped as likely decompression bombs; a 10,000 × 10,000 scan still fits.
 */
export const MAX_PIXELS = 100_000_000;

const BIT_DEPTHS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

/** What the import stores and decides from before decoding any pixel. */
export interface ImageHeader {
  /** sharp's name of the decoder: jpeg, png, webp, tiff, gif, heif … */
  format: string;
  /** As stored, before EXIF orientation. */
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  /** libvips interpretation: srgb, b-w, cmyk, rgb16, grey16 … */
  space: string;
  hasAlpha: boolean;
  /** EXIF orientation 1–8. */
  orientation: number;
}

const JPEG_SPACES = { 1: 'b-w', 3: 'srgb', 4: 'cmyk' } as const;
/** libvips' interpretation of a PNG, as sharp reports it. */
const PNG_SPACES = { gray8: 'b-w', gray16: 'grey16', colour8: 'srgb', colour16: 'rgb16' } as const;

/**
 * Size, format, colour space and orientation from the file's header, without
 * decoding pixels; enforces MAX_PIXELS. `input` is the file's bytes, or its
 * path when it is too big to hold (sharp then reads only the header).
 */
export async function readHeader(input: Buffer | string): Promise<ImageHeader> {
  const header = (typeof input === 'string' ? null : headerInJavaScript(input)) ?? (await readHeaderWithSharp(input));
  if (header.width * header.height > MAX_PIXELS) {
    throw new ImageRejected(`too large: ${header.width}×${header.height} pixels exceeds the ${MAX_PIXELS / 1e6} megapixel limit`);
  }
  return header;
}

/** The header of a plain JPEG or PNG, parsed here; null for anything sharp must read. */
function headerInJavaScript(bytes: Buffer): ImageHeader | null {
  const jpeg = parseJpegHeader(bytes);
  if (jpeg) return { format: 'jpeg', width: jpeg.width, height: jpeg.height, channels: jpeg.components, bitDepth: 8, space: JPEG_SPACES[jpeg.components], hasAlpha: false, orientation: jpeg.orientation };
  const png = parsePngHeader(bytes);
  // A PNG with an EXIF chunk is left to sharp, so the orientation of one parsed here is 1.
  if (png) return { format: 'png', width: png.width, height: png.height, channels: png.channels, bitDepth: png.bitDepth, space: PNG_SPACES[`${png.gray ? 'gray' : 'colour'}${png.bitDepth}`], hasAlpha: png.hasAlpha, orientation: 1 };
  return null;
}

export async function readHeaderWithSharp(input: Buffer | string): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageRejected(`not a readable image: ${shortSharpMessage(err)}`);
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageRejected('not a readable image: no dimensions');
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    channels: meta.channels ?? 0,
    bitDepth: BIT_DEPTHS[meta.depth ?? 'uchar'] ?? 8,
    space: meta.space ?? 'srgb',
    hasAlpha: meta.hasAlpha ?? false,
    orientation: meta.orientation ?? 1,
  };
}
