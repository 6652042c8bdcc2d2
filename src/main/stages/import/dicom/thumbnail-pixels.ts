import type { WindowLevel } from '../../../../shared/window-level';
import { THUMBNAIL_SIZE } from '../thumbnail';
import type { FrameValues } from './decode-frame';
import type { DicomImage } from './parse';
import { windowLut } from './window';

/** 8-bit pixels for sharp's raw input. */
export interface RawPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * The whole-number factor a frame is shrunk by before its thumbnail is
 * made: the largest that still leaves THUMBNAIL_SIZE pixels on the longest
 * side (4 for a 512 px CT), so sharp resizes a small image, or none.
 */
export function thumbnailShrink(width: number, height: number): number {
  return Math.max(1, Math.floor(Math.max(width, height) / THUMBNAIL_SIZE));
}

/**
 * A frame windowed to 8 bits and shrunk by `factor` (the mean of each
 * factor × factor block, as libvips's shrink does) in one pass, without the
 * full-size 8-bit copy: what an import needs of a frame is its thumbnail.
 * The window is applied to every stored value before the mean, as it would
 * be on screen. Colour frames (already 8-bit RGB) are only shrunk; the last
 * rows and columns that do not fill a block are left out.
 */
export function windowedThumbnailPixels(
  values: FrameValues,
  image: Pick<DicomImage, 'rows' | 'columns' | 'samplesPerPixel' | 'slope' | 'intercept' | 'photometric' | 'bitsStored' | 'signed'>,
  window: WindowLevel | null,
  factor: number,
): RawPixels {
  const channels = image.samplesPerPixel;
  const width = Math.max(1, Math.floor(image.columns / factor));
  const height = Math.max(1, Math.floor(image.rows / factor));
  const f = Math.min(factor, image.columns, image.rows);
  // Colour is shown as stored; gray goes through the window's lookup table.
  const { lut, min } = channels === 3 ? { lut: null, min: 0 } : windowLut(values, image, window);
  const out = new Uint8Array(width * height * channels);
  const rowSums = new Uint32Array(width * channels);
  const area = f * f;
  const half = area >> 1;
  const stride = image.columns * channels;
  for (let oy = 0; oy < height; oy++) {
    rowSums.fill(0);
    for (let y = oy * f, yEnd = y + f; y < yEnd; y++) {
      const row = y * stride;
      if (lut) {
        for (let ox = 0, x = row; ox < width; ox++) {
          let sum = 0;
          for (let k = 0; k < f; k++) sum += lut[values[x++]! - min]!;
          rowSums[ox]! += sum;
        }
      } else {
        for (let ox = 0; ox < width; ox++) {
          for (let c = 0; c < channels; c++) {
            let sum = 0;
            for (let k = 0, x = row + ox * f * channels + c; k < f; k++, x += channels) sum += values[x]!;
            rowSums[ox * channels + c]! += sum;
          }
        }
      }
    }
    const o = oy * width * channels;
    for (let i = 0; i < rowSums.length; i++) out[o + i] = ((rowSums[i]! + half) / area) | 0;
  }
  return { data: out, width, height, channels };
}
