/**
 * What an import needs from a PNG's header, read from its chunks in
 * JavaScript, as jpeg-header.ts does for JPEGs: asking sharp for metadata
 * costs a whole libvips call per file. Only the plain cases are answered —
 * 8- or 16-bit gray, gray + alpha, RGB or RGBA, with no transparency chunk
 * (tRNS adds an alpha band) and no EXIF chunk (which may turn the image).
 * Anything else, or a malformed header, returns null and the caller asks
 * sharp, whose answer is authoritative.
 */
export interface PngHeader {
  width: number;
  height: number;
  /** Bands: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  bitDepth: 8 | 16;
  gray: boolean;
  hasAlpha: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Colour type → bands, and whether the last band is alpha. */
const COLOUR_TYPES: Record<number, { channels: PngHeader['channels']; alpha: boolean; gray: boolean }> = {
  0: { channels: 1, alpha: false, gray: true },
  2: { channels: 3, alpha: false, gray: false },
  4: { channels: 2, alpha: true, gray: true },
  6: { channels: 4, alpha: true, gray: false },
};

export function parsePngHeader(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || chunkType(bytes, 12) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24]!;
  const colour = COLOUR_TYPES[bytes[25]!];
  if (!colour || (depth !== 8 && depth !== 16) || width === 0 || height === 0) return null;
  // Chunks up to the first image data: a tRNS or eXIf chunk there changes what sharp reports.
  let at = 33;
  for (;;) {
    if (at + 8 > bytes.length) return null;
    const type = chunkType(bytes, at + 4);
    if (type === 'IDAT') break;
    if (type === 'tRNS' || type === 'eXIf' || type === 'IEND') return null;
    at += 12 + view.getUint32(at);
  }
  return { width, height, channels: colour.channels, bitDepth: depth, gray: colour.gray, hasAlpha: colour.alpha };
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
