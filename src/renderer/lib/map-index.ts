import { DensityPyramid, type DensityLevel } from './density-pyramid';
import { PointGrid, type Bounds, type GridArrays } from './point-grid';
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

/** A built index as plain arrays, to hand from a worker to the page without copying them. */
export interface MapIndexArrays {
  grid: GridArrays;
  pyramids: (DensityLevel[] | null)[];
}

export function indexArrays(index: MapIndex): MapIndexArrays {
  const { start, points, sums } = index.grid;
  return { grid: { start, points, sums }, pyramids: index.pyramids.map((p) => p?.levels ?? null) };
}

/** The buffers of an index's arrays: transferred, not copied. */
export function transferablesOf(arrays: MapIndexArrays): ArrayBuffer[] {
  const all = [arrays.grid.start, arrays.grid.points, ...arrays.grid.sums, ...arrays.pyramids.flatMap((levels) => (levels ?? []).map((l) => l.counts))];
  return all.map((a) => a.buffer as ArrayBuffer);
}

/** The index of `layer` from arrays built for that same layer and bounds elsewhere. */
export function indexFromArrays(layer: PointLayer, bounds: Bounds, arrays: MapIndexArrays): MapIndex {
  const count = layer.xs.length;
  const grid = new PointGrid(layer.xs, layer.ys, count, layer.category, layer.styles.length, bounds, arrays.grid);
  const pyramids = arrays.pyramids.map((levels, c) => (levels ? new DensityPyramid(layer.xs, layer.ys, count, layer.category, c, bounds, undefined, levels) : null));
  return { grid, pyramids };
}
