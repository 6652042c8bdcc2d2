import { ImageRejected } from '../image-rejected';

/**
 * Decodes one frame of DICOM RLE Lossless (PS3.5 Annex G). A frame is a
 * 64-byte header (the number of segments, then up to 15 segment offsets)
 * and PackBits-coded segments: one per sample and byte of a sample, most
 * significant byte first. The result is planar, one plane per segment order
 * reassembled into samples: for 16-bit gray, little-endian bytes of each pixel.
 */
export function decodeRleFrame(frame: Uint8Array, pixels: number, samplesPerPixel: number, bytesPerSample: number): Uint8Array {
  if (frame.length < 64) throw new ImageRejected(`truncated DICOM file: RLE frame of ${frame.length} bytes has no complete header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new ImageRejected(`invalid RLE frame: ${segments} segments, ${expected} expected`);
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || start > end || end > frame.length) throw new ImageRejected(`invalid RLE frame: segment ${s + 1} lies outside the frame`);
    const sample = Math.floor(s / bytesPerSample);
    // Segments come most significant byte first; samples are written little-endian.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    // Planar output: sample plane `sample`, interleaved later by the caller if it wants RGBRGB.
    unpackSegment(frame, start, end, out, sample * pixels * bytesPerSample + byteInSample, bytesPerSample, pixels, s + 1);
  }
  return out;
}

function unpackSegment(src: Uint8Array, start: number, end: number, out: Uint8Array, offset: number, stride: number, count: number, segment: number): void {
  let i = start;
  let n = 0;
  while (i < end && n < count) {
    const header = src[i++]!;
    if (header < 128) {
      const run = header + 1;
      if (i + run > end) throw new ImageRejected(`truncated RLE segment ${segment}`);
      for (let k = 0; k < run && n < count; k++) out[offset + stride * n++] = src[i + k]!;
      i += run;
    } else if (header > 128) {
      const run = 257 - header;
      if (i >= end) throw new ImageRejected(`truncated RLE segment ${segment}`);
      const value = src[i++]!;
      for (let k = 0; k < run && n < count; k++) out[offset + stride * n++] = value;
    }
    // 128 is a no-op by the PackBits rules.
  }
  if (n < count) throw new ImageRejected(`truncated RLE segment ${segment}: ${n} of ${count} pixels`);
}
