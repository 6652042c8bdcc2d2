import type { Bounds } from './point-grid';

/**
 * Counts of one category's points on a fine square grid over the data, and
 * coarser copies of it (each cell the sum of four), built once per layer. A
 * zoomed-out frame reads one cell per screen pixel from the level whose cells
 * are about a pixel wide: its cost follows the screen's pixels, not the
 * number of points.
 */

export interface DensityLevel {
  cols: number;
  rows: number;
  /** Side of a cell in data units. */
  cell: number;
  counts: Uint32Array;
}

/** Cells along the longer side of the finest level. */
export const DENSITY_RESOLUTION = 1024;

export class DensityPyramid {
  /** Finest first; each level has half the cells of the one before along each axis, down to a few. */
  readonly levels: DensityLevel[];

  constructor(
    xs: Float32Array,
    ys: Float32Array,
    count: number,
    category: Uint8Array,
    of: number,
    readonly bounds: Bounds,
    resolution = DENSITY_RESOLUTION,
    /** The levels of this very pyramid built elsewhere (a worker), taken as they are. */
    built?: DensityLevel[],
  ) {
    if (built) {
      this.levels = built;
      return;
    }
    const w = bounds.maxX - bounds.minX;
    const h = bounds.maxY - bounds.minY;
    const cell = Math.max(w, h, 1e-12) / resolution;
    const cols = Math.max(1, Math.ceil(w / cell));
    const rows = Math.max(1, Math.ceil(h / cell));
    const counts = new Uint32Array(cols * rows);
    const { minX, minY } = bounds;
    for (let i = 0; i < count; i++) {
      if (category[i] !== of) continue;
      let c = Math.floor((xs[i]! - minX) / cell);
      let r = Math.floor((ys[i]! - minY) / cell);
      c = c >= cols ? cols - 1 : c > 0 ? c : 0;
      r = r >= rows ? rows - 1 : r > 0 ? r : 0;
      counts[r * cols + c]!++;
    }
    this.levels = [{ cols, rows, cell, counts }];
    for (let level = this.levels[0]!; level.cols > 2 || level.rows > 2; ) {
      level = halve(level);
      this.levels.push(level);
    }
  }

  /** The finest level whose cells are at least `pixel` data units wide (so no point falls between sampled cells), else the coarsest. */
  levelFor(pixel: number): DensityLevel {
    for (const level of this.levels) if (level.cell >= pixel) return level;
    return this.levels.at(-1)!;
  }
}

function halve(level: DensityLevel): DensityLevel {
  const cols = Math.ceil(level.cols / 2);
  const rows = Math.ceil(level.rows / 2);
  const counts = new Uint32Array(cols * rows);
  const src = level.counts;
  for (let r = 0; r < level.rows; r++) {
    const to = (r >> 1) * cols;
    const from = r * level.cols;
    for (let c = 0; c < level.cols; c++) counts[to + (c >> 1)]! += src[from + c]!;
  }
  return { cols, rows, cell: level.cell * 2, counts };
}
