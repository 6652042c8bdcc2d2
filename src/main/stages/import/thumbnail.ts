import sharp, { type Sharp } from 'sharp';
import { MAX_PIXELS, type ImageHeader } from './image-header';
import { pixelsImage, type DecodedPixels } from './model-input';

/** Longest side of a stored thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 128;

export interface Thumbnail {
  width: number;
  height: number;
  mime: string;
  data: Buffer;
}

/** JPEG decoders scale by these factors for free: they skip most of the inverse DCT instead of decoding every pixel. */
const JPEG_SCALES = [8, 4, 2] as const;

/**
 * The largest JPEG decoder scale that still leaves at least THUMBNAIL_SIZE
 * pixels on the longest side, or 1 when the file is too small to shrink.
 * sharp chooses this itself only up to half the needed factor (it keeps a
 * 256 px decode for a 512 px photo), which costs a second full resize.
 */
export function jpegDecodeScale(width: number, height: number): number {
  const longest = Math.max(width, height);
  return JPEG_SCALES.find((scale) => longest / scale >= THUMBNAIL_SIZE) ?? 1;
}

/**
 * A JPEG thumbnail, fitted inside THUMBNAIL_SIZE², EXIF orientation applied,
 * alpha flattened onto white, in sRGB or gray. `failOn: 'error'` turns
 * truncated or corrupt data into a rejection rather than a half-grey
 * thumbnail; it holds with a scaled decode too, since the decoder still reads
 * every entropy-coded block. The pixel limit was checked on the header
 * already; sharp checks it again here in case its decoder reads other sizes.
 *
 * `bytes` is null for a file too big to hold in memory: it is decoded from
 * `file`. Otherwise `file` must hold `bytes`: a large JPEG is decoded from the file at a
 * reduced scale, because libvips takes its `shrink` load option only with a
 * file name (`name[shrink=4]`), not with a buffer. (A file rewritten between
 * the two reads would get the new content's thumbnail; its hash is that of
 * the bytes read first, as before.)
 */
export async function makeThumbnail(file: string, bytes: Buffer | null, meta: ImageHeader): Promise<Thumbnail> {
  const scale = meta.format === 'jpeg' ? jpegDecodeScale(meta.width, meta.height) : 1;
  if (scale > 1) {
    try {
      return await encodeThumbnail(sharp(`${file}[shrink=${scale}]`, { limitInputPixels: MAX_PIXELS, failOn: 'error' }), meta);
    } catch {
      // Decode the bytes already read instead, so a failure is judged (and reported) on the
      // content that was hashed, whatever went wrong with the file name or a second read.
    }
  }
  return encodeThumbnail(sharp(bytes ?? file, { limitInputPixels: MAX_PIXELS, failOn: 'error' }), meta);
}

/** The thumbnail of pixels already decoded (orientation applied): the same picture makeThumbnail makes from the file. */
export function thumbnailOfPixels(pixels: DecodedPixels): Promise<Thumbnail> {
  return encodeThumbnail(pixelsImage(pixels), { hasAlpha: pixels.channels === 2 || pixels.channels === 4, space: pixels.channels <= 2 ? 'b-w' : 'srgb' });
}

async function encodeThumbnail(image: Sharp, meta: Pick<ImageHeader, 'hasAlpha' | 'space'>): Promise<Thumbnail> {
  let pipeline = image.rotate().resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true });
  // Only the conversions this file needs: most imports are plain 8-bit RGB or gray JPEGs.
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  if (meta.space !== 'srgb' && meta.space !== 'b-w') pipeline = pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, mime: 'image/jpeg', data };
}
