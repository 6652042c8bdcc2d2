import { DensityPyramid } from './density-pyramid';
import { PointGrid, type Bounds } from './point-grid';
import type { PointLayer } from './scatter-renderer';

/**
 * Points a frame draws as squares at most; categories with more on screen are
 * drawn from their density pyramid instead. Below this many points in all the
 * map always shows points.
 */
export const POINT_BUDGET = 200_000;

/** What a frame reads instead of every point: the grid, and a density pyramid for each category too big to draw point by point. */
export interface MapIndex {
  grid: PointGrid;
  /** Per category, null where the category is small enough always to be drawn as points. */
  pyramids: (DensityPyramid | null)[];
}

export function buildMapIndex(layer: PointLayer, bounds: Bounds, budget = POINT_BUDGET): MapIndex {
  const count = layer.xs.length;
  const categories = layer.styles.length;
  const grid = new PointGrid(layer.xs, layer.ys, count, layer.category, categories, bounds);
  const pyramids = layer.styles.map((_, c) => (categoryCount(grid, c) > budget / 4 ? new DensityPyramid(layer.xs, layer.ys, count, layer.category, c, bounds) : null));
  return { grid, pyramids };
}

export function categoryCount(grid: PointGrid, category: number): number {
  return grid.start[(category + 1) * grid.cells]! - grid.start[category * grid.cells]!;
}
