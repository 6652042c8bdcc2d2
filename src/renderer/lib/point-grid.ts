/**
 * A uniform grid over a scatter plot's points, built once per layer (one
 * counting sort, O(N)): the points of each (category, cell) lie together in
 * `points`, so a frame visits only the cells on screen and their points, and
 * counting what is on screen costs one rectangle sum per category (a
 * summed-area table), never a pass over every point. Hover, click and the
 * lasso ask it too.
 */

/** The data rectangle the grid covers; points outside it are counted in the nearest edge cell. */
export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** A rectangle of cells, inclusive. */
export interface CellRange {
  col0: number;
  col1: number;
  row0: number;
  row1: number;
}

/** Points per cell the grid aims at: small enough that an edge cell adds few off-screen points. */
const POINTS_PER_CELL = 16;
const MAX_SIDE = 1024;

export function boundsOf(xs: Float32Array, ys: Float32Array, count: number): Bounds {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = xs[i]!, y = ys[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!(maxX >= minX)) [minX, maxX] = [0, 0];
  if (!(maxY >= minY)) [minY, maxY] = [0, 0];
  return { minX, maxX, minY, maxY };
}

/** The arrays a grid is made of: what a worker builds and hands over. */
export interface GridArrays {
  start: Uint32Array;
  points: Uint32Array;
  sums: Uint32Array[];
}

export class PointGrid {
  readonly cols: number;
  readonly rows: number;
  readonly cells: number;
  /** Points of category c in cell k: points[start[c·cells + k] … start[c·cells + k + 1]). */
  readonly start: Uint32Array;
  /** Point indices sorted by (category, cell). */
  readonly points: Uint32Array;
  private readonly cellW: number;
  private readonly cellH: number;
  /** Per category, summed-area table of its counts, (rows + 1) × (cols + 1). */
  readonly sums: Uint32Array[];

  constructor(
    private readonly xs: Float32Array,
    private readonly ys: Float32Array,
    readonly count: number,
    category: Uint8Array,
    readonly categories: number,
    readonly bounds: Bounds,
    /** The arrays of this very grid built elsewhere (a worker), taken as they are. */
    built?: GridArrays,
  ) {
    const w = Math.max(bounds.maxX - bounds.minX, 1e-12);
    const h = Math.max(bounds.maxY - bounds.minY, 1e-12);
    const target = Math.max(1, count / POINTS_PER_CELL);
    this.cols = Math.max(1, Math.min(MAX_SIDE, Math.round(Math.sqrt((target * w) / h))));
    this.rows = Math.max(1, Math.min(MAX_SIDE, Math.round(target / this.cols)));
    this.cells = this.cols * this.rows;
    this.cellW = w / this.cols;
    this.cellH = h / this.rows;
    if (built) {
      this.start = built.start;
      this.points = built.points;
      this.sums = built.sums;
      return;
    }
    const cells = this.cells;
    const keys = new Uint32Array(count);
    const start = new Uint32Array(categories * cells + 1);
    for (let i = 0; i < count; i++) {
      const key = category[i]! * cells + this.cellOf(xs[i]!, ys[i]!);
      keys[i] = key;
      start[key + 1]!++;
    }
    this.sums = [];
    for (let c = 0; c < categories; c++) this.sums.push(this.summedArea(start, c * cells + 1));
    for (let k = 1; k < start.length; k++) start[k]! += start[k - 1]!;
    const points = new Uint32Array(count);
    const next = start.slice(0, -1);
    for (let i = 0; i < count; i++) points[next[keys[i]!]!++] = i;
    this.start = start;
    this.points = points;
  }

  private summedArea(counts: Uint32Array, from: number): Uint32Array {
    const { cols, rows } = this;
    const stride = cols + 1;
    const sums = new Uint32Array((rows + 1) * stride);
    for (let r = 0; r < rows; r++) {
      let row = 0;
      for (let c = 0; c < cols; c++) {
        row += counts[from + r * cols + c]!;
        sums[(r + 1) * stride + c + 1] = sums[r * stride + c + 1]! + row;
      }
    }
    return sums;
  }

  col(x: number): number {
    const c = Math.floor((x - this.bounds.minX) / this.cellW);
    return c >= this.cols ? this.cols - 1 : c > 0 ? c : 0;
  }

  row(y: number): number {
    const r = Math.floor((y - this.bounds.minY) / this.cellH);
    return r >= this.rows ? this.rows - 1 : r > 0 ? r : 0;
  }

  cellOf(x: number, y: number): number {
    return this.row(y) * this.cols + this.col(x);
  }

  /** The cells that meet a data rectangle (in any order of its corners). */
  range(x0: number, x1: number, y0: number, y1: number): CellRange {
    return { col0: this.col(Math.min(x0, x1)), col1: this.col(Math.max(x0, x1)), row0: this.row(Math.min(y0, y1)), row1: this.row(Math.max(y0, y1)) };
  }

  /** Points of one category in a range of cells: at least those inside the rectangle the range came from. */
  countIn(category: number, r: CellRange): number {
    const s = this.sums[category];
    if (!s) return 0;
    const stride = this.cols + 1;
    return s[(r.row1 + 1) * stride + r.col1 + 1]! - s[r.row0 * stride + r.col1 + 1]! - s[(r.row1 + 1) * stride + r.col0]! + s[r.row0 * stride + r.col0]!;
  }

  /** Calls `visit` with each point of one category in a range of cells. */
  forEachIn(category: number, r: CellRange, visit: (index: number) => void): void {
    const { start, points, cols } = this;
    const base = category * this.cells;
    for (let row = r.row0; row <= r.row1; row++) {
      const from = start[base + row * cols + r.col0]!;
      const to = start[base + row * cols + r.col1 + 1]!;
      for (let k = from; k < to; k++) visit(points[k]!);
    }
  }

  /** The point nearest to (x, y) within `radius` (data units), of any category; null when none. */
  nearest(x: number, y: number, radius: number): number | null {
    const r = this.range(x - radius, x + radius, y - radius, y + radius);
    let best: number | null = null;
    let bestD = radius * radius;
    for (let c = 0; c < this.categories; c++) {
      this.forEachIn(c, r, (i) => {
        const dx = this.xs[i]! - x, dy = this.ys[i]! - y;
        const d = dx * dx + dy * dy;
        if (d < bestD || (d === bestD && best === null)) {
          bestD = d;
          best = i;
        }
      });
    }
    return best;
  }
}
