/**
 * Draws many points into a canvas by writing pixels directly. At 100,000
 * points one `fillRect` per point costs tens of milliseconds in Chromium's
 * software canvas; writing squares into an ImageData and putting it once
 * costs a few, which is what keeps pan and zoom above 30 frames per second.
 */

export interface PointLayer {
  /** Data coordinates, one entry per point. */
  xs: Float32Array;
  ys: Float32Array;
  /** Category of each point (index into `styles`). */
  category: Uint8Array;
  /** Per category: colour as 0xRRGGBB and square side in CSS pixels; 0 hides the category. */
  styles: { color: number; size: number }[];
}

/** Point indices sorted so later categories draw on top (the highlighted ones are drawn last). */
export function drawOrder(category: Uint8Array, categories: number): Uint32Array {
  const counts = new Uint32Array(categories + 1);
  for (let i = 0; i < category.length; i++) counts[category[i]! + 1]!++;
  for (let c = 1; c <= categories; c++) counts[c]! += counts[c - 1]!;
  const order = new Uint32Array(category.length);
  for (let i = 0; i < category.length; i++) order[counts[category[i]!]!++] = i;
  return order;
}

/** Little-endian RGBA packed for a Uint32Array view of ImageData. */
function packed(rgb: number): number {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  return ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Per category, packed colour and square side in device pixels: computed once per style list, not per frame. */
interface DeviceStyles {
  source: PointLayer['styles'];
  pixelRatio: number;
  colors: Uint32Array;
  sizes: Int32Array;
}

export class ScatterRenderer {
  private image: ImageData | null = null;
  private pixels: Uint32Array | null = null;
  private styles: DeviceStyles | null = null;

  constructor(private readonly context: CanvasRenderingContext2D) {}

  private deviceStyles(layer: PointLayer, pixelRatio: number): DeviceStyles {
    if (this.styles?.source !== layer.styles || this.styles.pixelRatio !== pixelRatio) {
      this.styles = {
        source: layer.styles,
        pixelRatio,
        colors: Uint32Array.from(layer.styles, (s) => packed(s.color)),
        sizes: Int32Array.from(layer.styles, (s) => Math.max(0, Math.round(s.size * pixelRatio))),
      };
    }
    return this.styles;
  }

  /**
   * Draws the layer with screen = a·data + b per axis (device pixels).
   * `order` comes from `drawOrder`; `background` is 0xRRGGBB.
   * Nothing is allocated per frame: the pixel buffer and the styles are kept.
   */
  draw(layer: PointLayer, order: Uint32Array, ax: number, bx: number, ay: number, by: number, background: number, pixelRatio: number): void {
    const { width, height } = this.context.canvas;
    if (width === 0 || height === 0) return;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = this.context.createImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const pixels = this.pixels!;
    pixels.fill(packed(background));
    const { colors, sizes } = this.deviceStyles(layer, pixelRatio);
    const { xs, ys, category } = layer;
    const bxr = bx + 0.5;
    const byr = by + 0.5;
    // The common case at 100,000 points: a 2×2 square whose top-left corner is inside [0, width-2] × [0, height-2].
    const maxX2 = width - 2;
    const maxY2 = height - 2;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const c = category[i]!;
      const size = sizes[c]!;
      if (size === 0) continue;
      const half = size >> 1;
      // Corner = round(screen position) − half; off-screen points (most of them, zoomed in) leave after two compares.
      const fx = ax * xs[i]! + bxr - half;
      const fy = ay * ys[i]! + byr - half;
      if (!(fx > -size && fy > -size && fx < width && fy < height)) continue;
      const color = colors[c]!;
      if (size === 2 && fx >= 0 && fy >= 0) {
        // Non-negative: truncation is floor, and cheaper.
        const x0 = fx | 0;
        const y0 = fy | 0;
        if (x0 <= maxX2 && y0 <= maxY2) {
          const o = y0 * width + x0;
          pixels[o] = color;
          pixels[o + 1] = color;
          pixels[o + width] = color;
          pixels[o + width + 1] = color;
          continue;
        }
      }
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const xStart = x0 < 0 ? 0 : x0;
      const xEnd = x0 + size > width ? width : x0 + size;
      const yEnd = y0 + size > height ? height : y0 + size;
      for (let y = y0 < 0 ? 0 : y0; y < yEnd; y++) {
        const row = y * width;
        for (let x = xStart; x < xEnd; x++) pixels[row + x] = color;
      }
    }
    this.context.putImageData(this.image, 0, 0);
  }
}

export function hexColor(css: string): number {
  return parseInt(css.replace('#', ''), 16);
}
