import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { messageOf } from '../errors';

/**
 * Largest image accepted, in pixels (width × height): 100 megapixels. Larger
 * files are skipped as likely decompression bombs; a 10,000 × 10,000 scan still fits.
 */
export const MAX_PIXELS = 100_000_000;
export const THUMBNAIL_SIZE = 128;

export class ImageRejected extends Error {}

export interface DecodedImage {
  path: string;
  contentHash: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  format: string;
  thumbnail: { width: number; height: number; mime: string; data: Buffer };
}

const BIT_DEPTHS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

/** Reads, hashes, checks and thumbnails one file. Throws ImageRejected with a reason a user understands. */
export async function readImage(file: string): Promise<DecodedImage> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageRejected(code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `unreadable: ${code ?? messageOf(err)}`);
  }
  if (bytes.length === 0) throw new ImageRejected('empty file (0 bytes)');
  const contentHash = createHash('sha256').update(bytes).digest('hex');

  // One instance for header and pixels: the input is parsed once.
  const image = sharp(bytes, { limitInputPixels: false, failOn: 'error' });
  let meta: Metadata;
  try {
    meta = await image.metadata();
  } catch (err) {
    throw new ImageRejected(`not a readable image: ${shortSharpMessage(err)}`);
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageRejected('not a readable image: no dimensions');
  if (meta.width * meta.height > MAX_PIXELS) {
    throw new ImageRejected(`too large: ${meta.width}×${meta.height} pixels exceeds the ${MAX_PIXELS / 1e6} megapixel limit`);
  }
  // EXIF orientations 5–8 swap width and height once applied.
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;

  let thumb: { data: Buffer; info: OutputInfo };
  try {
    // failOn 'error' turns truncated data into a rejection rather than a half-grey thumbnail.
    let pipeline = image.rotate().resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true });
    // Only the conversions this file needs: most imports are plain 8-bit RGB or gray JPEGs.
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    if (meta.space !== 'srgb' && meta.space !== 'b-w') pipeline = pipeline.toColourspace('srgb');
    thumb = await pipeline.jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageRejected(`cannot decode: ${shortSharpMessage(err)}`);
  }
  return {
    path: file,
    contentHash,
    width,
    height,
    channels: meta.channels ?? 0,
    bitDepth: BIT_DEPTHS[meta.depth ?? 'uchar'] ?? 8,
    format: meta.space === 'cmyk' ? `${meta.format}/cmyk` : meta.format,
    thumbnail: { width: thumb.info.width, height: thumb.info.height, mime: 'image/jpeg', data: thumb.data },
  };
}

function shortSharpMessage(err: unknown): string {
  return messageOf(err).split('\n')[0]!.replace(/^Input (buffer|file) /, '').slice(0, 200);
}
