import type { PixelSet } from './pixels';

/**
 * Per-image tone normalisation (the `normaliseTone` training setting), the same for both encoders, in training and in
 * embedding: a contrast stretch that maps the image's 0.5th percentile to black and its 99.5th to white, all channels
 * together (so colours keep their hue), values beyond clipped.
 *
 * Why a stretch and not zero mean and unit deviation: the autoencoder reconstructs its input through a sigmoid, so its
 * input must stay in [0, 1]; a stretch keeps it there and keeps the uint8 pixel sets (and so the second training thread
 * and the embedding worker, which read those bytes) unchanged in form. One form for both encoders means one meaning of
 * the stored setting. Either form removes what an affine change of tone (brightness, contrast) does to an image.
 * Why percentiles: a few hot or dead pixels (or the contrastive views' noise) would set a min–max stretch alone. The
 * same 0.5–99.5 range as the DICOM `percentile` window. When that range is empty (an object under 0.5 % of the image
 * on a flat background) the image's minimum and maximum are used, so the object is not clipped away; a flat image
 * becomes mid-grey (it has no tone to keep).
 */
const LOW = 0.005;
const HIGH = 0.995;
const BINS = 256;

/** Stretches `values` (one image, values in [0, full]) in place; `full` is 255 for uint8 pixels, 1 for float ones. */
export function stretchTone(values: Uint8Array | Float32Array, full: number): void {
  const n = values.length;
  if (n === 0) return;
  const histogram = new Uint32Array(BINS);
  const scale = (BINS - 1) / full;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    histogram[Math.min(BINS - 1, Math.max(0, Math.round(v * scale)))]!++;
  }
  let lo = percentileBin(histogram, Math.floor(LOW * (n - 1))) / scale;
  let hi = percentileBin(histogram, Math.ceil(HIGH * (n - 1))) / scale;
  if (hi <= lo) {
    lo = min;
    hi = max;
  }
  const integer = values instanceof Uint8Array;
  if (hi <= lo) {
    values.fill(integer ? Math.round(full / 2) : full / 2);
    return;
  }
  const gain = full / (hi - lo);
  for (let i = 0; i < n; i++) {
    const v = (values[i]! - lo) * gain;
    const clipped = v < 0 ? 0 : v > full ? full : v;
    // Uint8Array assignment truncates: round instead, so an exact affine change of tone gives the same bytes back.
    values[i] = integer ? Math.round(clipped) : clipped;
  }
}

/** The bin that holds the `rank`-th smallest value (0-based). */
function percentileBin(histogram: Uint32Array, rank: number): number {
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin]!;
    if (seen > rank) return bin;
  }
  return histogram.length - 1;
}

/** Stretches every image of a pixel set in place (training and embedding call it on the set they loaded). */
export function stretchPixelSet(set: PixelSet): void {
  const per = set.bytesPerImage;
  for (let offset = 0; offset + per <= set.pixels.length; offset += per) stretchTone(set.pixels.subarray(offset, offset + per), 255);
}
