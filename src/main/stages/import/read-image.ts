import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { DEFAULT_MAX_FILE_BYTES, FileRefused, hashOpenFile, openRegularFile, readExactly } from './regular-file';
import { requireDecoder, requireRasterSignature, SNIFF_BYTES } from './format-family';
import { MAX_PIXELS, readHeader } from './image-header';
import { ImageRejected, shortSharpMessage } from './image-rejected';
import { readDicomFile, type ReadDicomOptions } from './dicom/read-dicom';
import { DICOM_MAGIC_OFFSET, isDicom } from './dicom/sniff';
import { makeThumbnail, thumbnailOfPixels, THUMBNAIL_SIZE, type Thumbnail } from './thumbnail';
import { decodePixels, decodesOnce, modelInputFrom, pixelsImage, type ModelInput, type PixelSpec } from './model-input';
import type { ImportedImage } from '../../store/imported-samples';

export { MAX_PIXELS, readHeader, type ImageHeader } from './image-header';
export { ImageRejected, THUMBNAIL_SIZE };

/** One decoded image: what import stores of it (its sample row, thumbnail and, for a DICOM frame, its frame row). */
export type DecodedImage = ImportedImage;

export interface ReadLimits {
  /** Files larger than this are refused unread. */
  maxFileBytes: number;
  /**
   * Files up to this size are read whole (hashed and decoded from memory, one
   * read); larger ones are hashed a chunk at a time and decoded from the
   * file, so the bytes a caller holds per file in flight stay under it.
   */
  wholeReadBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxFileBytes: DEFAULT_MAX_FILE_BYTES, wholeReadBytes: 32 * 1024 * 1024 };

/**
 * Checks, hashes and thumbnails one file. Throws ImageRejected with a reason
 * a user understands. Nothing but a regular file within the size limit is
 * opened for reading, and only a raster decoder its signature names ever
 * sees it.
 */
export async function readImage(file: string, limits: ReadLimits = DEFAULT_READ_LIMITS, modelSpec: PixelSpec | null = null): Promise<DecodedImage> {
  const { handle, size } = await openOrReject(file, limits.maxFileBytes);
  let read: { whole: Buffer } | { signature: string; contentHash: string };
  try {
    // Too big to hold: its signature from its first bytes, its hash a chunk at a time, its pixels decoded from the file.
    read =
      size <= limits.wholeReadBytes
        ? { whole: await readExactly(handle, size) }
        : { signature: requireRasterSignature(await readExactly(handle, Math.min(size, SNIFF_BYTES))), contentHash: await hashOpenFile(handle, size) };
  } finally {
    await handle.close();
  }
  return 'whole' in read ? imageOfBytes(file, read.whole, modelSpec) : decodeImage(file, null, read.contentHash, read.signature, modelSpec);
}

/** An image file already read whole: checked, hashed and thumbnailed like readImage does it. */
async function imageOfBytes(file: string, bytes: Buffer, modelSpec: PixelSpec | null): Promise<DecodedImage> {
  if (bytes.length === 0) throw new ImageRejected('empty file (0 bytes)');
  const signature = requireRasterSignature(bytes.subarray(0, SNIFF_BYTES));
  return decodeImage(file, bytes, hashBytes(bytes), signature, modelSpec);
}

async function openOrReject(file: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  try {
    return await openRegularFile(file, maxBytes);
  } catch (err) {
    throw err instanceof FileRefused ? new ImageRejected(err.message) : err;
  }
}

/** The header, thumbnail and (when it shares the decode) model input of a file whose signature and hash are known; `bytes` null for a file too big to hold. */
async function decodeImage(file: string, bytes: Buffer | null, contentHash: string, signature: string, modelSpec: PixelSpec | null): Promise<DecodedImage> {
  const meta = await readHeader(bytes ?? file);
  requireDecoder(signature, meta.format);
  let thumbnail: Thumbnail;
  let modelInput: ModelInput | undefined;
  try {
    if (bytes && modelSpec && decodesOnce(meta)) {
      // One decode for both: the model input is then never decoded from the file again (embedding reads it).
      const pixels = await decodePixels(bytes, MAX_PIXELS);
      thumbnail = await thumbnailOfPixels(pixels);
      modelInput = { ...modelSpec, data: await modelInputFrom(pixelsImage(pixels), modelSpec) };
    } else {
      thumbnail = await makeThumbnail(file, bytes, meta);
    }
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
    ...(modelInput && { modelInput }),
  };
}

/**
 * The samples of one file: one for an image, one per frame for a DICOM
 * file, which is recognised by its content (`DICM` at byte 128), whatever
 * its name. A DICOM file is read whole (its parser needs every byte); the
 * size limit still refuses it unread when it is too large.
 */
export async function readSamples(file: string, limits: ReadLimits, dicom: ReadDicomOptions, modelSpec: PixelSpec | null = null): Promise<DecodedImage[]> {
  const { handle, size } = await openOrReject(file, limits.maxFileBytes);
  let whole: Buffer | null = null;
  let dicomBytes: Buffer | null = null;
  try {
    // A file small enough to hold is read once, whatever it turns out to be: one open and one read per file.
    if (size <= limits.wholeReadBytes) whole = await readExactly(handle, size);
    const head = whole ?? (await readExactly(handle, Math.min(size, DICOM_MAGIC_OFFSET + 4)));
    // A DICOM file is read whole through the handle already open.
    if (isDicom(head)) dicomBytes = whole ?? (await readExactly(handle, size));
  } finally {
    await handle.close();
  }
  if (dicomBytes) return readDicomFile(file, dicomBytes, hashBytes(dicomBytes), dicom);
  return [whole ? await imageOfBytes(file, whole, modelSpec) : await readImage(file, limits, modelSpec)];
}

/** The whole file (for benchmarks of one import step): refused like readImage refuses it. */
export async function readBytes(file: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<Buffer> {
  let opened;
  try {
    opened = await openRegularFile(file, maxFileBytes);
  } catch (err) {
    throw err instanceof FileRefused ? new ImageRejected(err.message) : err;
  }
  try {
    if (opened.size === 0) throw new ImageRejected('empty file (0 bytes)');
    return await readExactly(opened.handle, opened.size);
  } finally {
    await opened.handle.close();
  }
}

/** SHA-256 of the content, hex: how exact duplicates and moved files are recognized. */
export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
