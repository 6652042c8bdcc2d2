import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { DensityPyramid } from '../../src/renderer/lib/density-pyramid';
import { buildMapIndex } from '../../src/renderer/lib/map-index';
import { PointGrid, boundsOf } from '../../src/renderer/lib/point-grid';
import { ScatterRenderer, planFrame, type PixelContext, type PointLayer, type ScreenTransform } from '../../src/renderer/lib/scatter-renderer';

/** Clustered points (a few tight blobs and a wide one) with a category each, most in category 0. */
function clusteredLayer(count: number, categories: number, seed = 3): PointLayer {
  const random = seededRandom(seed);
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  const category = new Uint8Array(count);
  const centres = [[0, 0, 3], [5, 1, 0.2], [-4, 3, 0.5], [2, -6, 0.05]] as const;
  for (let i = 0; i < count; i++) {
    const [cx, cy, spread] = centres[Math.floor(random() * centres.length)]!;
    xs[i] = cx + gaussian(random) * spread;
    ys[i] = cy + gaussian(random) * spread;
    const r = random();
    category[i] = r < 0.9 ? 0 : 1 + Math.floor(random() * (categories - 1));
  }
  const styles = Array.from({ length: categories }, (_, c) => ({ color: 0x102030 * (c + 1), size: c === 0 ? 2 : 3 + (c % 3) }));
  return { xs, ys, category, styles };
}

test('the grid holds every point once, in its own cell, and counts and lists a rectangle as brute force does', () => {
  const layer = clusteredLayer(20_000, 4);
  const bounds = boundsOf(layer.xs, layer.ys, layer.xs.length);
  const grid = new PointGrid(layer.xs, layer.ys, layer.xs.length, layer.category, 4, bounds);
  assert.deepEqual([...grid.points].sort((a, b) => a - b), Array.from({ length: 20_000 }, (_, i) => i), 'a permutation of the points');
  const random = seededRandom(9);
  for (let trial = 0; trial < 50; trial++) {
    const x0 = bounds.minX + (bounds.maxX - bounds.minX) * (random() * 1.2 - 0.1);
    const x1 = x0 + (bounds.maxX - bounds.minX) * random() * 0.5;
    const y0 = bounds.minY + (bounds.maxY - bounds.minY) * (random() * 1.2 - 0.1);
    const y1 = y0 + (bounds.maxY - bounds.minY) * random() * 0.5;
    const range = grid.range(x1, x0, y1, y0);
    for (let c = 0; c < 4; c++) {
      const listed: number[] = [];
      grid.forEachIn(c, range, (i) => listed.push(i));
      const inCells: number[] = [];
      for (let i = 0; i < layer.xs.length; i++) {
        if (layer.category[i] !== c) continue;
        const col = grid.col(layer.xs[i]!), row = grid.row(layer.ys[i]!);
        if (col >= range.col0 && col <= range.col1 && row >= range.row0 && row <= range.row1) inCells.push(i);
        const x = layer.xs[i]!, y = layer.ys[i]!;
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) assert.ok(col >= range.col0 && col <= range.col1 && row >= range.row0 && row <= range.row1, `point ${i} inside the rectangle is in its cells`);
      }
      assert.deepEqual(listed.sort((a, b) => a - b), inCells, `category ${c}, trial ${trial}`);
      assert.equal(grid.countIn(c, range), inCells.length);
    }
  }
});

test('the grid finds the nearest point within a radius as brute force does', () => {
  const layer = clusteredLayer(5_000, 3, 5);
  const bounds = boundsOf(layer.xs, layer.ys, layer.xs.length);
  const grid = new PointGrid(layer.xs, layer.ys, layer.xs.length, layer.category, 3, bounds);
  const random = seededRandom(2);
  for (let trial = 0; trial < 300; trial++) {
    const x = -8 + random() * 16, y = -9 + random() * 15;
    const radius = random() * 0.5;
    let best: number | null = null, bestD = radius * radius;
    for (let i = 0; i < layer.xs.length; i++) {
      const d = (layer.xs[i]! - x) ** 2 + (layer.ys[i]! - y) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    }
    const found = grid.nearest(x, y, radius);
    if (best === null) assert.equal(found, null);
    else assert.equal((layer.xs[found!]! - x) ** 2 + (layer.ys[found!]! - y) ** 2, bestD, `trial ${trial}`);
  }
});

test('each density level counts a category’s points per cell as brute-force binning at its cell size', () => {
  const layer = clusteredLayer(30_000, 3, 7);
  const bounds = boundsOf(layer.xs, layer.ys, layer.xs.length);
  const pyramid = new DensityPyramid(layer.xs, layer.ys, layer.xs.length, layer.category, 0, bounds, 200);
  const finest = pyramid.levels[0]!;
  assert.equal(Math.max(finest.cols, finest.rows), 200);
  const inCategory = layer.category.filter((c) => c === 0).length;
  pyramid.levels.forEach((level, l) => {
    const brute = new Uint32Array(level.cols * level.rows);
    for (let i = 0; i < layer.xs.length; i++) {
      if (layer.category[i] !== 0) continue;
      // The finest cell (clamped to the grid), then halved l times.
      const c0 = Math.min(finest.cols - 1, Math.max(0, Math.floor((layer.xs[i]! - bounds.minX) / finest.cell)));
      const r0 = Math.min(finest.rows - 1, Math.max(0, Math.floor((layer.ys[i]! - bounds.minY) / finest.cell)));
      brute[(r0 >> l) * level.cols + (c0 >> l)]!++;
    }
    assert.deepEqual(level.counts, brute, `level ${l}`);
    assert.equal(level.counts.reduce((a, b) => a + b, 0), inCategory);
  });
  assert.ok(pyramid.levels.at(-1)!.cols <= 2 && pyramid.levels.at(-1)!.rows <= 2);
  assert.equal(pyramid.levelFor(finest.cell * 3).cell, finest.cell * 4, 'the finest level with cells at least a pixel wide');
});

/** A 2-D context on a plain pixel buffer: what ScatterRenderer uses of one. */
function fakeContext(width: number, height: number) {
  let put: Uint32Array | null = null;
  const context: PixelContext = {
    canvas: { width, height },
    createImageData: (w, h) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (image) => {
      put = new Uint32Array(image.data.buffer.slice(0));
    },
  };
  return { context, pixels: () => put! };
}

const BACKGROUND = 0xffffff;
const packedWhite = 0xffffffff;

/** The view that fits the bounds into the canvas (equal units, y up), zoomed by `zoom` about the centre. */
function fit(layer: PointLayer, width: number, height: number, zoom: number): ScreenTransform {
  const b = boundsOf(layer.xs, layer.ys, layer.xs.length);
  const unit = Math.min(width / (b.maxX - b.minX), height / (b.maxY - b.minY)) * 0.9 * zoom;
  const cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2;
  return { ax: unit, bx: width / 2 - unit * cx, ay: -unit, by: height / 2 + unit * cy };
}

test('drawing with the grid gives the same pixels as drawing every point in category order', () => {
  const layer = clusteredLayer(8_000, 4, 11);
  const bounds = boundsOf(layer.xs, layer.ys, layer.xs.length);
  const index = buildMapIndex(layer, bounds);
  for (const zoom of [0.5, 1, 3, 12]) {
    const t = fit(layer, 160, 120, zoom);
    const { context, pixels } = fakeContext(160, 120);
    const renderer = new ScatterRenderer(context);
    renderer.draw(layer, index, t, BACKGROUND, 1);
    assert.ok(renderer.lastDrawing.every((d) => d !== 'density'));
    // Brute force: every point's square, lower categories first.
    const expected = new Uint32Array(160 * 120).fill(packedWhite);
    for (let c = 0; c < layer.styles.length; c++) {
      const { color, size } = layer.styles[c]!;
      const rgba = ((0xff << 24) | ((color & 0xff) << 16) | (color & 0xff00) | ((color >> 16) & 0xff)) >>> 0;
      for (let i = 0; i < layer.xs.length; i++) {
        if (layer.category[i] !== c) continue;
        const x0 = Math.floor(t.ax * layer.xs[i]! + t.bx + 0.5 - (size >> 1));
        const y0 = Math.floor(t.ay * layer.ys[i]! + t.by + 0.5 - (size >> 1));
        for (let y = Math.max(0, y0); y < Math.min(120, y0 + size); y++) for (let x = Math.max(0, x0); x < Math.min(160, x0 + size); x++) expected[y * 160 + x] = rgba;
      }
    }
    assert.deepEqual(pixels(), expected, `zoom ${zoom}`);
  }
});

test('over the point budget the big category is drawn as density: every point on screen inks a pixel within two of it, and nothing else is inked', () => {
  const layer = clusteredLayer(40_000, 3, 13);
  const bounds = boundsOf(layer.xs, layer.ys, layer.xs.length);
  const budget = 12_000;
  const index = buildMapIndex(layer, bounds, budget);
  assert.ok(index.pyramids[0] && !index.pyramids[2], 'a pyramid only for categories above a quarter of the budget');
  const width = 200, height = 150;
  for (const zoom of [1, 2.5]) {
    const t = fit(layer, width, height, zoom);
    const { context, pixels } = fakeContext(width, height);
    const renderer = new ScatterRenderer(context);
    renderer.draw(layer, index, t, BACKGROUND, 1, budget);
    assert.equal(renderer.lastDrawing[0], 'density', `zoom ${zoom}`);
    const drawn = pixels();
    const near = new Uint8Array(width * height);
    for (let i = 0; i < layer.xs.length; i++) {
      const px = Math.floor(t.ax * layer.xs[i]! + t.bx), py = Math.floor(t.ay * layer.ys[i]! + t.by);
      const onScreen = px >= 0 && py >= 0 && px < width && py < height;
      let inked = false;
      for (let y = py - 4; y <= py + 4; y++) for (let x = px - 4; x <= px + 4; x++) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        near[y * width + x] = 1;
        if (Math.abs(x - px) <= 2 && Math.abs(y - py) <= 2 && drawn[y * width + x] !== packedWhite) inked = true;
      }
      assert.ok(inked || !onScreen, `point ${i} at (${px}, ${py}) leaves no mark (zoom ${zoom})`);
    }
    for (let p = 0; p < drawn.length; p++) if (drawn[p] !== packedWhite) assert.ok(near[p], `pixel ${p % width}, ${Math.floor(p / width)} inked far from every point`);
  }
  // Zoomed in far enough, the points on screen fit the budget and are drawn as points again.
  const close = fit(layer, width, height, 40);
  const plan = planFrame(layer, index, close, width, height, Int32Array.from(layer.styles, (s) => s.size), budget);
  assert.ok(plan.plan.every((d) => d !== 'density'), plan.plan.join());
});
