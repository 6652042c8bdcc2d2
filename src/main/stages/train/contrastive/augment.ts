/** An image as the contrastive encoder reads it: size × size × channels values in [0, 1], row-major. */
export interface Image {
  data: Float32Array;
  size: number;
  channels: number;
}

/**
 * How far each augmentation may go. Only changes that keep the label — the
 * object's orientation — are offered: tone (brightness, contrast, gamma),
 * blur, sensor noise, and an axis-aligned zoom and shift (a crop that keeps
 * the object). Never a rotation, a shear or a flip: those change the angle.
 */
export interface AugmentRanges {
  brightness: number;
  contrast: number;
  /** Gamma drawn from [1 / (1 + gamma), 1 + gamma]. */
  gamma: number;
  /** Probability of a 3×3 blur. */
  blur: number;
  /** Largest noise standard deviation. */
  noise: number;
  /** Largest shift, as a share of the side. */
  shift: number;
  /** Largest zoom in or out (1 ± zoom). */
  zoom: number;
}

export const DEFAULT_AUGMENT: AugmentRanges = { brightness: 0.2, contrast: 0.3, gamma: 0.4, blur: 0.5, noise: 0.03, shift: 0.08, zoom: 0.12 };

/** One random view of `image`: geometry first (zoom and shift about the centre), then tone, blur and noise. */
export function augment(image: Image, random: () => number, ranges: AugmentRanges = DEFAULT_AUGMENT): Image {
  const uniform = (r: number) => (random() * 2 - 1) * r;
  const zoom = 1 + uniform(ranges.zoom);
  const shift: [number, number] = [uniform(ranges.shift) * image.size, uniform(ranges.shift) * image.size];
  let out = zoomShift(image, zoom, shift);
  const gamma = Math.exp(uniform(Math.log(1 + ranges.gamma)));
  out = tone(out, 1 + uniform(ranges.contrast), uniform(ranges.brightness), gamma);
  if (random() < ranges.blur) out = boxBlur(out);
  addNoise(out.data, random() * ranges.noise, random);
  return out;
}

/** Gaussian noise of standard deviation `sigma`, clamped to [0, 1]; Box–Muller's two normal draws per pair of uniforms both used. */
function addNoise(data: Float32Array, sigma: number, random: () => number): void {
  for (let i = 0; i < data.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * sigma;
    const angle = 2 * Math.PI * random();
    data[i] = clamp01(data[i]! + radius * Math.cos(angle));
    if (i + 1 < data.length) data[i + 1] = clamp01(data[i + 1]! + radius * Math.sin(angle));
  }
}

/** Samples the image at (x − c) / zoom + c − shift with bilinear interpolation; outside is black. Axis-aligned: angles are kept. */
function zoomShift(image: Image, zoom: number, shift: [number, number]): Image {
  const { size, channels, data } = image;
  const out = new Float32Array(data.length);
  const c = (size - 1) / 2;
  // Per column and per row: the two source taps and their weights, a tap outside the image weighing nothing.
  const taps = (offset: number) => {
    const lo = new Int32Array(size);
    const wLo = new Float32Array(size);
    const wHi = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const source = (i - c) / zoom + c - offset;
      const i0 = Math.floor(source);
      const f = source - i0;
      lo[i] = i0;
      wLo[i] = i0 >= 0 && i0 < size ? 1 - f : 0;
      wHi[i] = i0 + 1 >= 0 && i0 + 1 < size ? f : 0;
    }
    return { lo, wLo, wHi };
  };
  const xs = taps(shift[0]);
  const ys = taps(shift[1]);
  const stride = size * channels;
  for (let y = 0; y < size; y++) {
    const wy0 = ys.wLo[y]!;
    const wy1 = ys.wHi[y]!;
    if (wy0 === 0 && wy1 === 0) continue;
    const row0 = Math.min(Math.max(ys.lo[y]!, 0), size - 1) * stride;
    const row1 = Math.min(Math.max(ys.lo[y]! + 1, 0), size - 1) * stride;
    for (let x = 0; x < size; x++) {
      const wx0 = xs.wLo[x]!;
      const wx1 = xs.wHi[x]!;
      if (wx0 === 0 && wx1 === 0) continue;
      const col0 = Math.min(Math.max(xs.lo[x]!, 0), size - 1) * channels;
      const col1 = Math.min(Math.max(xs.lo[x]! + 1, 0), size - 1) * channels;
      for (let ch = 0; ch < channels; ch++) {
        out[(y * size + x) * channels + ch] =
          wy0 * (wx0 * data[row0 + col0 + ch]! + wx1 * data[row0 + col1 + ch]!) + wy1 * (wx0 * data[row1 + col0 + ch]! + wx1 * data[row1 + col1 + ch]!);
      }
    }
  }
  return { ...image, data: out };
}

/** Table size for gamma: the curve is read from it with linear interpolation (far inside one 8-bit grey level). */
const GAMMA_TABLE = 1024;

/** Contrast about the image mean, then brightness, then gamma; clamped to [0, 1]. */
function tone(image: Image, contrast: number, brightness: number, gamma: number): Image {
  const data = image.data;
  let sum = 0;
  for (const v of data) sum += v;
  const mean = sum / data.length;
  const curve = new Float32Array(GAMMA_TABLE + 1);
  for (let k = 0; k <= GAMMA_TABLE; k++) curve[k] = (k / GAMMA_TABLE) ** gamma;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const t = clamp01((data[i]! - mean) * contrast + mean + brightness) * GAMMA_TABLE;
    const k = Math.min(GAMMA_TABLE - 1, Math.floor(t));
    const f = t - k;
    out[i] = curve[k]! + (curve[k + 1]! - curve[k]!) * f;
  }
  return { ...image, data: out };
}

/** 3×3 box blur per channel, edges repeated: a 3-tap pass along rows, then along columns (the same sums, fewer reads). */
function boxBlur(image: Image): Image {
  const { size, channels, data } = image;
  const rows = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const at = (x: number) => Math.min(size - 1, Math.max(0, x));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let ch = 0; ch < channels; ch++) {
        const base = y * size;
        rows[(base + x) * channels + ch] = data[(base + at(x - 1)) * channels + ch]! + data[(base + x) * channels + ch]! + data[(base + at(x + 1)) * channels + ch]!;
      }
    }
  }
  for (let y = 0; y < size; y++) {
    const up = at(y - 1) * size;
    const down = at(y + 1) * size;
    for (let x = 0; x < size; x++) {
      for (let ch = 0; ch < channels; ch++) {
        out[(y * size + x) * channels + ch] = (rows[(up + x) * channels + ch]! + rows[(y * size + x) * channels + ch]! + rows[(down + x) * channels + ch]!) / 9;
      }
    }
  }
  return { ...image, data: out };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
