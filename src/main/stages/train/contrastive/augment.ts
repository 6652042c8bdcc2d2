import { gaussian } from '../../../core/random';

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
  const sigma = random() * ranges.noise;
  const data = out.data;
  for (let i = 0; i < data.length; i++) data[i] = clamp01(data[i]! + gaussian(random) * sigma);
  return out;
}

/**
 * Per-image photometric normalisation (optional for both encoders): each
 * image to zero mean and unit standard deviation, so tone alone cannot
 * separate two images in the latent space.
 */
export function normalisePhotometric(image: Image): Image {
  const data = image.data;
  let sum = 0;
  for (const v of data) sum += v;
  const mean = sum / data.length;
  let sq = 0;
  for (const v of data) sq += (v - mean) ** 2;
  const sd = Math.sqrt(sq / data.length) || 1;
  return { ...image, data: data.map((v) => (v - mean) / sd) };
}

/** Samples the image at (x − c) / zoom + c − shift with bilinear interpolation; outside is black. Axis-aligned: angles are kept. */
function zoomShift(image: Image, zoom: number, shift: [number, number]): Image {
  const { size, channels, data } = image;
  const out = new Float32Array(data.length);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const sy = (y - c) / zoom + c - shift[1];
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const sx = (x - c) / zoom + c - shift[0];
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      for (let ch = 0; ch < channels; ch++) {
        const at = (yy: number, xx: number) => (yy < 0 || yy >= size || xx < 0 || xx >= size ? 0 : data[(yy * size + xx) * channels + ch]!);
        out[(y * size + x) * channels + ch] =
          (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      }
    }
  }
  return { ...image, data: out };
}

/** Contrast about the image mean, then brightness, then gamma; clamped to [0, 1]. */
function tone(image: Image, contrast: number, brightness: number, gamma: number): Image {
  const data = image.data;
  let sum = 0;
  for (const v of data) sum += v;
  const mean = sum / data.length;
  return { ...image, data: data.map((v) => clamp01((v - mean) * contrast + mean + brightness) ** gamma) };
}

/** 3×3 box blur per channel, edges repeated. */
function boxBlur(image: Image): Image {
  const { size, channels, data } = image;
  const out = new Float32Array(data.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let ch = 0; ch < channels; ch++) {
        let s = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = Math.min(size - 1, Math.max(0, y + dy));
            const xx = Math.min(size - 1, Math.max(0, x + dx));
            s += data[(yy * size + xx) * channels + ch]!;
          }
        }
        out[(y * size + x) * channels + ch] = s / 9;
      }
    }
  }
  return { ...image, data: out };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
