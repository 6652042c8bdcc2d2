import { ImageRejected } from './image-rejected';

/**
 * The decoders Farpoint lets sharp use, in sharp's words (`metadata().format`;
 * AVIF is decoded by libheif, so 'heif'). A file is handed to sharp only when
 * its first bytes carry one of their signatures: an SVG (or any other format
 * sharp could also read) named like an image is refused before sharp sees it,
 * so librsvg never renders a file that was imported as a picture. A raster
 * file under another raster extension (a JPEG saved as .png, as browsers
 * often do) still imports: its content, not its name, picks the decoder.
 */
export const RASTER_FORMATS: Readonly<Record<string, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  tiff: 'TIFF',
  gif: 'GIF',
  heif: 'AVIF/HEIF',
};

/** Bytes of the file's start that sniffFormat needs. */
export const SNIFF_BYTES = 32;

/** The format the file's first bytes announce (its signature): a RASTER_FORMATS key, 'svg' for XML text, or null. */
export function sniffFormat(head: Buffer): string | null {
  const ascii = (start: number, end: number) => head.toString('latin1', start, end);
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  // Classic and BigTIFF, little- and big-endian.
  if (['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(ascii(0, 4))) return 'tiff';
  if (ascii(4, 8) === 'ftyp') return 'heif';
  // XML or SVG text, after an optional UTF-8 byte-order mark and white space.
  if (/^(\xEF\xBB\xBF)?\s*</.test(ascii(0, SNIFF_BYTES))) return 'svg';
  return null;
}

const READ = `Farpoint reads ${Object.values(RASTER_FORMATS).join(', ')}`;

/** The raster format the content's signature announces; throws ImageRejected for anything else, before any decoder runs. */
export function requireRasterSignature(head: Buffer): string {
  const found = sniffFormat(head);
  if (found !== null && found in RASTER_FORMATS) return found;
  if (found === 'svg') throw new ImageRejected(`not a readable image: the content is SVG/XML text (refused, never rendered: ${READ})`);
  throw new ImageRejected(`not a readable image: its first bytes are no image signature ${READ}`);
}

/** Throws ImageRejected when sharp picked another decoder than the signature announced (a second check, on sharp's own word). */
export function requireDecoder(signature: string, decoder: string): void {
  if (decoder !== signature) {
    throw new ImageRejected(`not a readable image: its signature says ${RASTER_FORMATS[signature] ?? signature}, the decoder found ${decoder}`);
  }
}
