import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { messageOf } from '../errors';
import { makeThumbnail, THUMBNAIL_SIZE, type Thumbnail } from './thumbnail';

export { THUMBNAIL_SIZE };

/**
 * Largest image accepted, in pixels (width × height): 100 megapixels. Larger
 * files are skipped as likely decompression bombs; a 10,000 × 10,000 scan still fits.
 */
export const MAX_PIXELS = 100_000_000;

export class ImageRejected extends Error {}

export interface DecodedImage {
  path: string;
  contentHash: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  format: string;
  thumbnail: Thumbnail;
}

const BIT_DEPTHS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

/** Reads, hashes, checks and thumbnails one file. Throws ImageRejected with a reason a user understands. */
export async function readImage(file: string): Promise<DecodedImage> {
  const bytes = await readBytes(file);
  const contentHash = hashBytes(bytes);
  const meta = await readHeader(bytes);
  let thumbnail: Thumbnail;
  try {
    thumbnail = await makeThumbnail(file, bytes, meta);
  } catch (err) {
    throw new ImageRejected(`cannot decode: ${shortSharpMessage(err)}`);
  }
  // EXIF orientations 5–8 swap width and height once applied.
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    path: file,
    contentHash,
    width: rotated ? meta.height : meta.width,
    height: rotated ? meta.width : meta.height,
    channels: meta.channels ?? 0,
    bitDepth: BIT_DEPTHS[meta.depth ?? 'uchar'] ?? 8,
    format: meta.space === 'cmyk' ? `${meta.format}/cmyk` : meta.format,
    thumbnail,
  };
}

/** The whole file: it is hashed, and decoded from memory unless a scaled JPEG decode reads it again. */
export async function readBytes(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageRejected(code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `unreadable: ${code ?? messageOf(err)}`);
  }
  if (bytes.length === 0) throw new ImageRejected('empty file (0 bytes)');
  return bytes;
}

/** SHA-256 of the content, hex: how exact duplicates and moved files are recognized. */
export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type ImageHeader = Metadata & { width: number; height: number; format: string };

/** Size, format, colour space and orientation from the file's header, without decoding pixels; enforces MAX_PIXELS. */
export async function readHeader(bytes: Buffer): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageRejected(`not a readable image: ${shortSharpMessage(err)}`);
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageRejected('not a readable image: no dimensions');
  if (meta.width * meta.height > MAX_PIXELS) {
    throw new ImageRejected(`too large: ${meta.width}×${meta.height} pixels exceeds the ${MAX_PIXELS / 1e6} megapixel limit`);
  }
  return meta as ImageHeader;
}

function shortSharpMessage(err: unknown): string {
  return messageOf(err).split('\n')[0]!.replace(/^Input (buffer|file) /, '').slice(0, 200);
}
