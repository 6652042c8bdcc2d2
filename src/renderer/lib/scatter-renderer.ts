import type { DensityLevel, DensityPyramid } from './density-pyramid';
import { POINT_BUDGET, type MapIndex } from './map-index';
import type { CellRange } from './point-grid';

/**
 * Draws a scatter plot into a canvas by writing pixels directly: one
 * `fillRect` per point costs far more in Chromium's software canvas than
 * writing squares into an ImageData and putting it once. A frame's work
 * follows what is on screen, not the number of points: it visits only the
 * grid cells in view (MapIndex), draws their points as squares while they
 * are few, and a category with more on screen than POINT_BUDGET as density
 * (one read of its pyramid per pixel, darker where more points fall).
 */

export interface PointLayer {
  /** Data coordinates, one entry per point. */
  xs: Float32Array;
  ys: Float32Array;
  /** Category of each point (index into `styles`). */
  category: Uint8Array;
  /** Per category: colour as 0xRRGGBB and square side in CSS pixels; 0 hides the category. Later categories draw on top. */
  styles: { color: number; size: number }[];
}

/** How one frame draws each category, for tests and the benchmark. */
export type CategoryDrawing = 'points' | 'density' | 'hidden';

/** Little-endian RGBA packed for a Uint32Array view of ImageData. */
function packed(rgb: number): number {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  return ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Shades of a density layer: index 1 is one point in a pixel's cell, each next index twice the points per pixel. */
const SHADES = 33;
/** Shade steps from the category's own colour to its darkest. */
const DARKENING_STEPS = 8;
const DARKEST = 0.25;

function densityShades(rgb: number): Uint32Array {
  const shades = new Uint32Array(SHADES);
  for (let i = 1; i < SHADES; i++) {
    const t = Math.min(1, (i - 1) / DARKENING_STEPS);
    const k = 1 - t * (1 - DARKEST);
    const r = Math.round(((rgb >> 16) & 0xff) * k);
    const g = Math.round(((rgb >> 8) & 0xff) * k);
    const b = Math.round((rgb & 0xff) * k);
    shades[i] = packed((r << 16) | (g << 8) | b);
  }
  return shades;
}

/** Per category, packed colour, density shades and square side in device pixels: computed once per style list, not per frame. */
interface DeviceStyles {
  source: PointLayer['styles'];
  pixelRatio: number;
  colors: Uint32Array;
  shades: Uint32Array[];
  sizes: Int32Array;
}

/** The screen transform of one frame: screen = a·data + b per axis, in device pixels. */
export interface ScreenTransform {
  ax: number;
  bx: number;
  ay: number;
  by: number;
}

/** An image of the canvas's size that the renderer writes pixels into. */
interface PixelImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** What the renderer uses of a canvas's 2-D context (so it runs on a plain buffer in unit tests too). */
export interface PixelContext {
  readonly canvas: { readonly width: number; readonly height: number };
  createImageData(width: number, height: number): PixelImage;
  putImageData(image: PixelImage, dx: number, dy: number): void;
}

export class ScatterRenderer {
  private image: PixelImage | null = null;
  private pixels: Uint32Array | null = null;
  private styles: DeviceStyles | null = null;
  private columnCells = new Int32Array(0);
  /** How the last frame drew each category. */
  lastDrawing: CategoryDrawing[] = [];

  constructor(private readonly context: PixelContext) {}

  private deviceStyles(layer: PointLayer, pixelRatio: number): DeviceStyles {
    if (this.styles?.source !== layer.styles || this.styles.pixelRatio !== pixelRatio) {
      this.styles = {
        source: layer.styles,
        pixelRatio,
        colors: Uint32Array.from(layer.styles, (s) => packed(s.color)),
        shades: layer.styles.map((s) => densityShades(s.color)),
        sizes: Int32Array.from(layer.styles, (s) => Math.max(0, Math.round(s.size * pixelRatio))),
      };
    }
    return this.styles;
  }

  /**
   * Draws the layer; `background` is 0xRRGGBB. Nothing that grows with the
   * points is allocated per frame: the pixel buffer and the styles are kept.
   */
  draw(layer: PointLayer, index: MapIndex, t: ScreenTransform, background: number, pixelRatio: number, budget = POINT_BUDGET): void {
    const { width, height } = this.context.canvas;
    if (width === 0 || height === 0) return;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = this.context.createImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const pixels = this.pixels!;
    pixels.fill(packed(background));
    const styles = this.deviceStyles(layer, pixelRatio);
    const drawing = planFrame(layer, index, t, width, height, styles.sizes, budget);
    const { grid } = index;
    for (let c = 0; c < drawing.plan.length; c++) {
      if (drawing.plan[c] === 'density') this.drawDensity(pixels, width, height, index.pyramids[c]!, t, styles.shades[c]!);
      else if (drawing.plan[c] === 'points') {
        drawSquares(pixels, width, height, layer, grid.points, grid.start, c * grid.cells, grid.cols, drawing.range, t, styles.colors[c]!, styles.sizes[c]!);
      }
    }
    this.lastDrawing = drawing.plan;
    this.context.putImageData(this.image, 0, 0);
  }

  /** One read of the pyramid level whose cells are about a pixel wide, per pixel. */
  private drawDensity(pixels: Uint32Array, width: number, height: number, pyramid: DensityPyramid, t: ScreenTransform, shades: Uint32Array): void {
    const level: DensityLevel = pyramid.levelFor(1 / Math.abs(t.ax));
    const { minX, minY } = pyramid.bounds;
    if (this.columnCells.length < width) this.columnCells = new Int32Array(width);
    const columns = this.columnCells;
    for (let x = 0; x < width; x++) {
      const c = Math.floor(((x + 0.5 - t.bx) / t.ax - minX) / level.cell);
      columns[x] = c >= 0 && c < level.cols ? c : -1;
    }
    // Expected points per device pixel for a count of one, four times over: a shade step per doubling from a quarter point.
    const perPixel = (4 / Math.abs(t.ax * t.ay)) / (level.cell * level.cell);
    const counts = level.counts;
    for (let y = 0; y < height; y++) {
      const r = Math.floor(((y + 0.5 - t.by) / t.ay - minY) / level.cell);
      if (r < 0 || r >= level.rows) continue;
      const from = r * level.cols;
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const c = columns[x]!;
        if (c < 0) continue;
        const n = counts[from + c]!;
        if (n === 0) continue;
        const step = 32 - Math.clz32((n * perPixel) | 0);
        pixels[row + x] = shades[step > 1 ? (step < SHADES ? step : SHADES - 1) : 1]!;
      }
    }
  }
}

/**
 * Which categories a frame draws as points and which as density: the
 * topmost categories get points first, while the points on screen stay
 * within the budget; a category without a pyramid is always points.
 */
export function planFrame(
  layer: PointLayer,
  index: MapIndex,
  t: ScreenTransform,
  width: number,
  height: number,
  sizes: Int32Array,
  budget: number,
): { plan: CategoryDrawing[]; range: CellRange } {
  let largest = 0;
  for (const s of sizes) largest = Math.max(largest, s);
  // The data rectangle on screen, widened by a square's side so a point whose square reaches into view is drawn.
  const mx = largest / Math.abs(t.ax);
  const my = largest / Math.abs(t.ay);
  const x0 = (0 - t.bx) / t.ax, x1 = (width - t.bx) / t.ax;
  const y0 = (0 - t.by) / t.ay, y1 = (height - t.by) / t.ay;
  const range = index.grid.range(Math.min(x0, x1) - mx, Math.max(x0, x1) + mx, Math.min(y0, y1) - my, Math.max(y0, y1) + my);
  const plan: CategoryDrawing[] = layer.styles.map(() => 'hidden');
  let left = budget;
  for (let c = layer.styles.length - 1; c >= 0; c--) {
    if (sizes[c] === 0) continue;
    const visible = index.grid.countIn(c, range);
    if (visible === 0) continue;
    if (visible <= left || !index.pyramids[c]) {
      plan[c] = 'points';
      left -= Math.min(left, visible);
    } else plan[c] = 'density';
  }
  return { plan, range };
}

/** Squares of one category's points in a range of grid cells. */
function drawSquares(
  pixels: Uint32Array,
  width: number,
  height: number,
  layer: PointLayer,
  points: Uint32Array,
  start: Uint32Array,
  base: number,
  cols: number,
  range: CellRange,
  t: ScreenTransform,
  color: number,
  size: number,
): void {
  const { xs, ys } = layer;
  const { ax, ay } = t;
  const half = size >> 1;
  // Corner = round(screen position) − half.
  const bxr = t.bx + 0.5 - half;
  const byr = t.by + 0.5 - half;
  // The common case: a 2×2 square whose top-left corner is inside [0, width-2] × [0, height-2].
  const maxX2 = width - 2;
  const maxY2 = height - 2;
  for (let row = range.row0; row <= range.row1; row++) {
    const from = start[base + row * cols + range.col0]!;
    const to = start[base + row * cols + range.col1 + 1]!;
    for (let k = from; k < to; k++) {
      const i = points[k]!;
      const fx = ax * xs[i]! + bxr;
      const fy = ay * ys[i]! + byr;
      // Points of edge cells off screen leave after these compares.
      if (!(fx > -size && fy > -size && fx < width && fy < height)) continue;
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
        const line = y * width;
        for (let x = xStart; x < xEnd; x++) pixels[line + x] = color;
      }
    }
  }
}

export function hexColor(css: string): number {
  return parseInt(css.replace('#', ''), 16);
}
