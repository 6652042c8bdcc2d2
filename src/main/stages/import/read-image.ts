import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { messageOf } from '../../core/errors';
import { readHeader } from './image-header';
import { ImageRejected, shortSharpMessage } from './image-rejected';
import { makeThumbnail, THUMBNAIL_SIZE, type Thumbnail } from './thumbnail';

export { MAX_PIXELS, readHeader, type ImageHeader } from './image-header';
export { ImageRejected, THUMBNAIL_SIZE };

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
  const rotated = meta.orientation >= 5;
  return {
    path: file,
    contentHash,
    width: rotated ? meta.height : meta.width,
    height: rotated ? meta.width : meta.height,
    channels: meta.channels,
    bitDepth: meta.bitDepth,
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
