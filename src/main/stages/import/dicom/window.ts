import { PERCENTILE_HIGH, PERCENTILE_LOW, type WindowLevel, type WindowSetting } from '../../../../shared/window-level';
import type { FrameValues } from './decode-frame';
import type { DicomImage } from './parse';

/** The window an image is shown and trained with under the project's setting, in modality units; null: show the 8-bit values as stored. */
export function chooseWindow(image: DicomImage, values: FrameValues, setting: WindowSetting): WindowLevel | null {
  if (setting.mode === 'fixed') return { center: setting.center, width: setting.width };
  if (setting.mode === 'auto') {
    const fromFile = image.windows[setting.fileWindow] ?? image.windows[0];
    if (fromFile) return { center: fromFile.center, width: fromFile.width };
  }
  if (image.samplesPerPixel === 3) return null;
  if (setting.mode === 'auto' && image.bitsAllocated === 8 && image.slope === 1 && image.intercept === 0) return null;
  return percentileWindow(values, image);
}

/**
 * The 0.5–99.5 percentile range of the frame's values, from a histogram of
 * stored values (every 16-bit value has its bin, so no sort and no
 * approximation), mapped through the rescale.
 */
export function percentileWindow(values: FrameValues, image: Pick<DicomImage, 'slope' | 'intercept' | 'signed'>): WindowLevel {
  const offset = values instanceof Int16Array ? 32768 : 0;
  // One histogram per thread, cleared for each frame: cheaper than a fresh 256 KB allocation per frame.
  const histogram = values instanceof Uint8Array ? new Uint32Array(256) : clearedScratch();
  for (let i = 0; i < values.length; i++) histogram[values[i]! + offset]!++;
  const low = binAt(histogram, Math.floor(values.length * PERCENTILE_LOW)) - offset;
  const high = binAt(histogram, Math.max(0, Math.ceil(values.length * PERCENTILE_HIGH) - 1)) - offset;
  const a = low * image.slope + image.intercept;
  const b = high * image.slope + image.intercept;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  // A flat image gets a one-unit window around its value rather than a zero width.
  return { center: (lo + hi) / 2 + 0.5, width: Math.max(1, hi - lo + 1) };
}

function storedRange(values: FrameValues, image: Partial<Pick<DicomImage, 'bitsStored' | 'signed'>>): { min: number; max: number } {
  if (values instanceof Uint8Array) return { min: 0, max: 255 };
  if (image.bitsStored !== undefined) {
    const bits = Math.min(16, Math.max(1, image.bitsStored));
    if (2 ** bits <= values.length) return values instanceof Int16Array ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 } : { min: 0, max: 2 ** bits - 1 };
  }
  let min = values[0]!;
  let max = min;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return { min, max };
}

let scratch: Uint32Array | null = null;

function clearedScratch(): Uint32Array {
  scratch ??= new Uint32Array(65536);
  return scratch.fill(0);
}

function binAt(histogram: Uint32Array, rank: number): number {
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin]!;
    if (seen > rank) return bin;
  }
  return histogram.length - 1;
}

/**
 * Stored values to 8-bit display values: rescale, then the DICOM linear
 * window function (PS3.3 C.11.2.1.2.1), inverted for MONOCHROME1 (where
 * high values are dark). Built as a lookup table over the stored values
 * present, so a 512×512 frame costs one table read per pixel.
 */
export function windowToBytes(values: FrameValues, image: Pick<DicomImage, 'slope' | 'intercept' | 'photometric' | 'samplesPerPixel'>, window: WindowLevel | null): Uint8Array {
  const invert = image.photometric === 'MONOCHROME1';
  if (values instanceof Uint8Array && window === null && !invert) return values;
  const { lut, min } = windowLut(values, image, window);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = lut[values[i]! - min]!;
  return out;
}

/**
 * The lookup table of windowToBytes: entry `stored - min` is the display
 * value of stored value `stored`. It covers the values Bits Stored allows
 * when that table is smaller than the frame (decodeFrame masks or
 * sign-extends every value into that range), which spares a pass over the
 * frame; else only the stored values present.
 */
export function windowLut(
  values: FrameValues,
  image: Pick<DicomImage, 'slope' | 'intercept' | 'photometric'> & Partial<Pick<DicomImage, 'bitsStored' | 'signed'>>,
  window: WindowLevel | null,
): { lut: Uint8Array; min: number } {
  const invert = image.photometric === 'MONOCHROME1';
  if (values.length === 0) return { lut: new Uint8Array(0), min: 0 };
  const { min, max } = storedRange(values, image);
  const lut = new Uint8Array(max - min + 1);
  for (let stored = min; stored <= max; stored++) {
    const x = stored * image.slope + image.intercept;
    let y: number;
    if (window === null) y = Math.max(0, Math.min(255, Math.round(x)));
    else {
      const c = window.center - 0.5;
      const w = window.width - 1;
      if (x <= c - w / 2) y = 0;
      else if (x > c + w / 2) y = 255;
      else y = Math.round(((x - c) / Math.max(w, 1e-9) + 0.5) * 255);
    }
    lut[stored - min] = invert ? 255 - y : y;
  }
  return { lut, min };
}
