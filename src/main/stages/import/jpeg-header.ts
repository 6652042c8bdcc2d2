/**
 * What an import needs from a baseline or progressive JPEG's header, read
 * from its markers in JavaScript: most imported files are JPEGs, and asking
 * sharp for their metadata costs a whole libvips call per file. Returns null
 * for anything unusual (12-bit samples, two EXIF blocks, a malformed marker
 * or EXIF block), and the caller then asks sharp, whose answer is authoritative.
 */
export interface JpegHeader {
  width: number;
  height: number;
  /** 1 gray, 3 YCbCr or RGB, 4 CMYK or YCCK. */
  components: 1 | 3 | 4;
  /** EXIF orientation 1–8; 1 where there is none. */
  orientation: number;
}

const SOI = 0xd8;
const SOS = 0xda;
const APP1 = 0xe1;

/** Start-of-frame markers: every coding process, not DHT (C4), JPG (C8) or DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

export function parseJpegHeader(bytes: Uint8Array): JpegHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let frame: Omit<JpegHeader, 'orientation'> | null = null;
  let orientation: number | null = null;
  let exifBlocks = 0;
  let at = 2;
  // Markers up to the first scan: the decoder keeps every APPn before it, the frame header is among them.
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === SOS) break;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(at + 2);
    const start = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return null;
    if (isStartOfFrame(marker)) {
      if (frame || length < 8) return null;
      const precision = bytes[start]!;
      const height = view.getUint16(start + 1);
      const width = view.getUint16(start + 3);
      const components = bytes[start + 5]!;
      if (precision !== 8 || width === 0 || height === 0) return null;
      if (components !== 1 && components !== 3 && components !== 4) return null;
      frame = { width, height, components };
    } else if (marker === APP1 && isExif(bytes, start, end)) {
      if (++exifBlocks > 1) return null;
      orientation = exifOrientation(view, start + 6, end);
      if (orientation === null) return null;
    }
    at = end;
  }
  if (!frame) return null;
  return { ...frame, orientation: orientation ?? 1 };
}

function isExif(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= 6 && bytes[start] === 0x45 && bytes[start + 1] === 0x78 && bytes[start + 2] === 0x69 && bytes[start + 3] === 0x66 && bytes[start + 4] === 0 && bytes[start + 5] === 0;
}

/** Orientation tag (0x0112) of IFD0 in the TIFF structure at `tiff`: 1 when absent, null when the block is malformed. */
function exifOrientation(view: DataView, tiff: number, end: number): number | null {
  if (tiff + 8 > end) return null;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const little = order === 0x4949;
  if (view.getUint16(tiff + 2, little) !== 42) return null;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return null;
  const entries = view.getUint16(ifd, little);
  if (ifd + 2 + entries * 12 > end) return null;
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, little) !== 0x0112) continue;
    // SHORT, one value: anything else is not an orientation a decoder would honour.
    if (view.getUint16(entry + 2, little) !== 3 || view.getUint32(entry + 4, little) !== 1) return null;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : null;
  }
  return 1;
}
