import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import type { DistanceKernel } from '../../src/main/core/selection/distance-kernel';
import { farthestFromMean } from '../../src/main/core/selection/farthest-from-mean';
import { createTsKernel } from '../../src/main/core/selection/ts-kernel';
import { createWasmKernel, wasmSimdAvailable } from '../../src/main/core/selection/wasm-kernel';

/**
 * The first pick as it was computed before the float32 step: every pass in
 * JavaScript float64 (the mean row by row, every row's distance to it in
 * column order), ties to the lowest row. The kernel's version must give this
 * row on every data set, whatever the float32 step ranks first.
 */
function plainFarthestFromMean(x: Float32Array, dim: number, include: (row: number) => boolean): number {
  const n = x.length / dim;
  const mean = new Float64Array(dim);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    count++;
    for (let k = 0; k < dim; k++) mean[k]! += x[i * dim + k]!;
  }
  if (count === 0) return -1;
  for (let k = 0; k < dim; k++) mean[k]! /= count;
  let best = -1;
  let bestRow = -1;
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    let s = 0;
    for (let k = 0; k < dim; k++) {
      const t = x[i * dim + k]! - mean[k]!;
      s += t * t;
    }
    if (s > best) {
      best = s;
      bestRow = i;
    }
  }
  return bestRow;
}

/** Every kernel over a copy of x: TypeScript, and where available SIMD on one thread and (with `split`) over two. */
function kernelsOver(x: Float32Array, dim: number, split = true): [string, DistanceKernel][] {
  const n = x.length / dim;
  const out: [string, DistanceKernel][] = [['typescript', createTsKernel(n, dim, x.slice())]];
  if (wasmSimdAvailable()) {
    for (const threads of split ? ([1, 2] as const) : ([1] as const)) {
      const kernel = createWasmKernel(n, dim, threads)!;
      kernel.vectors.set(x);
      out.push([`wasm-simd, ${threads} thread${threads === 2 ? 's' : ''}`, kernel]);
    }
  }
  return out;
}

function check(name: string, x: Float32Array, dim: number, include: (row: number) => boolean = () => true, split = true): void {
  const expected = plainFarthestFromMean(x, dim, include);
  for (const [kind, kernel] of kernelsOver(x, dim, split)) {
    assert.equal(farthestFromMean(kernel, include), expected, `${name} (${kind})`);
  }
}

test('the first pick is the plain float64 one on random data of many shapes, with and without rows left out', () => {
  const random = seededRandom(21);
  for (const dim of [1, 2, 3, 4, 5, 8, 12, 17, 33, 64, 65]) {
    for (let trial = 0; trial < 6; trial++) {
      const n = 1 + Math.floor(random() * 900);
      const scale = 10 ** Math.floor(random() * 8 - 4);
      const offset = trial % 2 === 0 ? 0 : scale * 1000;
      const x = Float32Array.from({ length: n * dim }, () => offset + (trial % 3 === 0 ? random() : gaussian(random)) * scale);
      // Two threads (a worker each) for some trials only: the split cannot change a distance.
      check(`uniform/gaussian ${n} × ${dim}, trial ${trial}`, x, dim, undefined, trial < 2);
      const out = new Set(Array.from({ length: Math.floor(n / 3) }, () => Math.floor(random() * n)));
      check(`${n} × ${dim} with ${out.size} rows left out, trial ${trial}`, x, dim, (i) => !out.has(i), trial < 2);
    }
  }
});

test('near ties: copies of the farthest row a few float32 steps apart, exact duplicates, and a grid of equal distances', () => {
  const random = seededRandom(22);
  const dim = 24;
  for (let trial = 0; trial < 20; trial++) {
    const n = 400;
    const x = Float32Array.from({ length: n * dim }, () => gaussian(random));
    const far = plainFarthestFromMean(x, dim, () => true);
    // Copies of the farthest row over random rows, each nudged by one or two float32 steps in one column (or not at all).
    for (let c = 0; c < 12; c++) {
      const row = Math.floor(random() * n);
      if (row === far) continue;
      x.copyWithin(row * dim, far * dim, far * dim + dim);
      const k = Math.floor(random() * dim);
      const nudge = Math.floor(random() * 5) - 2;
      const v = new Float32Array([x[row * dim + k]!]);
      const bits = new Int32Array(v.buffer);
      bits[0]! += nudge;
      x[row * dim + k] = v[0]!;
    }
    check(`nudged copies, trial ${trial}`, x, dim, undefined, trial < 4);
  }
  const grid = Float32Array.from({ length: 2000 * 5 }, () => Math.floor(random() * 3));
  check('grid', grid, 5);
  const same = new Float32Array(300 * 8).fill(2.5);
  check('every row equal', same, 8);
});

test('values the float32 step cannot rank (overflow, NaN, tiny) fall back to the float64 distance of every row', () => {
  const random = seededRandom(23);
  const dim = 9;
  const huge = Float32Array.from({ length: 200 * dim }, () => (random() - 0.5) * 3e38);
  check('near the float32 maximum', huge, dim);
  const tiny = Float32Array.from({ length: 200 * dim }, () => (random() - 0.5) * 1e-40);
  check('subnormal', tiny, dim);
  const withNaN = Float32Array.from({ length: 200 * dim }, () => random());
  withNaN[37 * dim + 3] = NaN;
  check('a NaN row', withNaN, dim, (i) => i !== 37);
  check('nothing included', withNaN, dim, () => false);
});

test('column sums are those of a plain float64 loop, bit for bit, over any run of rows', () => {
  const random = seededRandom(24);
  for (const dim of [1, 3, 4, 6, 16, 19, 37, 64]) {
    const n = 700;
    const x = Float32Array.from({ length: n * dim }, () => gaussian(random) * 10 ** Math.floor(random() * 6 - 3));
    const from = Math.floor(random() * n);
    const to = from + Math.floor(random() * (n - from));
    const expected = new Float64Array(dim).fill(0.5);
    for (let i = from; i < to; i++) for (let k = 0; k < dim; k++) expected[k]! += x[i * dim + k]!;
    for (const [kind, kernel] of kernelsOver(x, dim, false)) {
      const sums = new Float64Array(dim).fill(0.5);
      kernel.addColumnSums(from, to, sums);
      assert.deepEqual([...sums], [...expected], `${dim} columns, rows ${from}..${to} (${kind})`);
    }
  }
});
