import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { createTsKernel, canonicalSquaredDistance } from '../../src/main/core/selection/ts-kernel';
import { createWasmKernel, wasmSimdAvailable } from '../../src/main/core/selection/wasm-kernel';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import type { KernelPreference } from '../../src/main/core/selection/kernel-factory';

/** Random data sets that stress ties and duplicates as well as the general case. */
function dataset(kind: 'gaussian' | 'grid' | 'duplicates' | 'clusters' | 'offset', n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const x = new Float32Array(n * dim);
  if (kind === 'gaussian') for (let i = 0; i < x.length; i++) x[i] = gaussian(random);
  if (kind === 'grid') for (let i = 0; i < x.length; i++) x[i] = Math.floor(random() * 3); // many exactly equal distances
  if (kind === 'offset') for (let i = 0; i < x.length; i++) x[i] = 1000 + gaussian(random) * 0.01; // rounding-heavy
  if (kind === 'duplicates') {
    const distinct = Math.max(1, Math.floor(n / 5));
    for (let i = 0; i < distinct * dim; i++) x[i] = gaussian(random);
    for (let i = distinct; i < n; i++) {
      const src = Math.floor(random() * distinct);
      x.copyWithin(i * dim, src * dim, (src + 1) * dim);
    }
  }
  if (kind === 'clusters') {
    const centers = Array.from({ length: 12 }, () => Array.from({ length: dim }, () => gaussian(random) * 10));
    for (let i = 0; i < n; i++) {
      const c = centers[Math.floor(random() * centers.length)]!;
      const spread = 0.1 + random();
      for (let k = 0; k < dim; k++) x[i * dim + k] = c[k]! + gaussian(random) * spread;
    }
  }
  return x;
}

/** The textbook greedy k-center loop, written independently of the library's loops (only the distance is shared). */
function reference(x: Float32Array, dim: number, seeds: number[], exclude: Set<number>): { order: number[]; novelty: number[] } {
  const n = x.length / dim;
  const min = new Array<number>(n).fill(Infinity);
  const chosen = new Set<number>();
  const take = (c: number) => {
    chosen.add(c);
    for (let i = 0; i < n; i++) min[i] = Math.min(min[i]!, canonicalSquaredDistance(x, i, c, dim));
  };
  const pool = [...Array(n).keys()].filter((i) => !exclude.has(i));
  for (const s of seeds) if (!exclude.has(s)) take(s);
  const order: number[] = [];
  const novelty: number[] = [];
  if (chosen.size === 0 && pool.length > 0) {
    // Documented start: farthest from the pool mean (float64), lowest row on ties.
    const mean = new Array<number>(dim).fill(0);
    for (const i of pool) for (let k = 0; k < dim; k++) mean[k]! += x[i * dim + k]!;
    for (let k = 0; k < dim; k++) mean[k]! /= pool.length;
    let best = -1;
    let bestRow = -1;
    for (const i of pool) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (x[i * dim + k]! - mean[k]!) ** 2;
      if (s > best) [best, bestRow] = [s, i];
    }
    order.push(bestRow);
    novelty.push(Infinity);
    take(bestRow);
  }
  for (;;) {
    let best = -1;
    let bestRow = -1;
    for (const i of pool) if (!chosen.has(i) && min[i]! > best) [best, bestRow] = [min[i]!, i];
    if (bestRow < 0) break;
    order.push(bestRow);
    novelty.push(Math.sqrt(best));
    take(bestRow);
  }
  return { order, novelty };
}

const kernels: KernelPreference[] = wasmSimdAvailable() ? ['wasm-simd', 'typescript'] : ['typescript'];

test('WebAssembly SIMD is available on this Node, so the SIMD path is what the tests below exercise', () => {
  assert.ok(wasmSimdAvailable());
});

test('the SIMD distance equals the TypeScript distance bit for bit for every dimension split', () => {
  const random = seededRandom(7);
  for (const dim of [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 31, 32, 33, 64, 127, 128]) {
    const n = 40;
    const simd = createWasmKernel(n, dim)!;
    for (let i = 0; i < n * dim; i++) simd.vectors[i] = gaussian(random) * 10 ** Math.floor(random() * 6 - 3);
    const ts = createTsKernel(n, dim, simd.vectors.slice());
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b += 3) assert.equal(simd.squaredDistance(a, b), ts.squaredDistance(a, b), `dim ${dim}, rows ${a}, ${b}`);
    }
    // The list and full-step entry points use the same distance.
    for (let j = 0; j < n; j++) simd.listIndex[j] = ts.listIndex[j] = n - 1 - j;
    simd.distancesToList(5, n);
    ts.distancesToList(5, n);
    assert.deepEqual([...simd.listOut.subarray(0, n)], [...ts.listOut.subarray(0, n)]);
  }
});

test('the streamed full step on the row-order min-distances is the same in SIMD and TypeScript, bit for bit, argmax included', () => {
  const random = seededRandom(8);
  for (const [n, dim] of [[1, 3], [63, 5], [65, 33], [300, 64], [517, 7]] as const) {
    const simd = createWasmKernel(n, dim)!;
    for (let i = 0; i < n * dim; i++) simd.vectors[i] = gaussian(random) * 10 ** Math.floor(random() * 4 - 2);
    const ts = createTsKernel(n, dim, simd.vectors.slice());
    // Candidates (Infinity or a finite min-distance), non-candidates (−1) and zeros (a duplicate of a center).
    const start = Float32Array.from({ length: n }, () => { const u = random(); return u < 0.1 ? -1 : u < 0.15 ? 0 : u < 0.5 ? Infinity : random() * 50; });
    simd.rowMind.set(start);
    ts.rowMind.set(start);
    for (const center of [0, n - 1, Math.floor(n / 2)]) {
      assert.equal(simd.fullStepRows(center), ts.fullStepRows(center), `argmax: n ${n}, d ${dim}, center ${center}`);
      assert.deepEqual([...simd.rowMind], [...ts.rowMind], `n ${n}, d ${dim}, center ${center}`);
    }
  }
});

test('the full step split over two threads (shared memory, a helper thread) is the one-thread step bit for bit, argmax and ties included', () => {
  const random = seededRandom(9);
  for (const [n, dim] of [[2, 3], [65, 33], [517, 7], [2000, 16]] as const) {
    const two = createWasmKernel(n, dim, 2)!;
    // Coarse integer values: many equal distances, so the two halves tie for the maximum.
    for (let i = 0; i < n * dim; i++) two.vectors[i] = Math.round(gaussian(random) * 2);
    const ts = createTsKernel(n, dim, two.vectors.slice());
    const start = Float32Array.from({ length: n }, () => { const u = random(); return u < 0.1 ? -1 : u < 0.15 ? 0 : Infinity; });
    two.rowMind.set(start);
    ts.rowMind.set(start);
    two.mind.set(start);
    ts.mind.set(start);
    for (const center of [0, n - 1, Math.floor(n / 2)]) {
      assert.equal(two.fullStepRows(center), ts.fullStepRows(center), `argmax: n ${n}, d ${dim}, center ${center}`);
      assert.deepEqual([...two.rowMind], [...ts.rowMind], `n ${n}, d ${dim}, center ${center}`);
      const from = Math.floor(n / 3);
      assert.equal(two.updateAll(center, from, n), ts.updateAll(center, from, n), `updateAll argmax: n ${n}, center ${center}`);
      assert.deepEqual([...two.mind], [...ts.mind], `updateAll: n ${n}, d ${dim}, center ${center}`);
    }
  }
});

const cases: { kind: Parameters<typeof dataset>[0]; n: number; dim: number; labeled: number; excluded: number }[] = [
  { kind: 'gaussian', n: 300, dim: 8, labeled: 0, excluded: 0 },
  { kind: 'gaussian', n: 257, dim: 33, labeled: 5, excluded: 7 },
  { kind: 'gaussian', n: 200, dim: 1, labeled: 2, excluded: 0 },
  { kind: 'grid', n: 400, dim: 5, labeled: 0, excluded: 3 },
  { kind: 'grid', n: 300, dim: 12, labeled: 20, excluded: 0 },
  { kind: 'duplicates', n: 350, dim: 16, labeled: 0, excluded: 0 },
  { kind: 'duplicates', n: 300, dim: 7, labeled: 9, excluded: 11 },
  { kind: 'clusters', n: 1200, dim: 32, labeled: 0, excluded: 0 },
  { kind: 'clusters', n: 900, dim: 17, labeled: 40, excluded: 25 },
  { kind: 'offset', n: 300, dim: 64, labeled: 3, excluded: 0 },
];

for (const [index, c] of cases.entries()) {
  test(`order and novelties equal a brute-force reference: ${c.kind}, N=${c.n}, d=${c.dim}, ${c.labeled} labeled, ${c.excluded} excluded`, () => {
    const x = dataset(c.kind, c.n, c.dim, 100 + index);
    const random = seededRandom(200 + index);
    const pick = (count: number) => [...new Set(Array.from({ length: count }, () => Math.floor(random() * c.n)))];
    const seeds = pick(c.labeled);
    const exclude = pick(c.excluded).filter((r) => !seeds.includes(r) || random() < 0.5);
    const expected = reference(x, c.dim, seeds, new Set(exclude));
    assert.equal(expected.order.length, c.n - new Set([...seeds.filter((s) => !exclude.includes(s)), ...exclude]).size);
    for (const kernel of kernels) {
      for (const prune of [true, false]) {
        const got = furthestPointOrder(x, c.dim, { seeds, exclude, kernel, prune });
        const label = `${kernel}, prune=${prune}`;
        assert.equal(got.kernel, kernel);
        assert.deepEqual([...got.order], expected.order, `order (${label})`);
        assert.deepEqual([...got.novelty], expected.novelty, `novelty (${label})`);
      }
    }
    for (let k = 1; k < expected.novelty.length; k++) assert.ok(expected.novelty[k]! <= expected.novelty[k - 1]!, `novelty rises at ${k}`);
  });
}

test('novelties match float64 distances to the nearest earlier pick to float32 rounding', () => {
  const dim = 24;
  const x = dataset('clusters', 600, dim, 9);
  const { order, novelty } = furthestPointOrder(x, dim, { seeds: [3, 77] });
  const chosen = [3, 77];
  for (let k = 0; k < 150; k++) {
    const row = order[k]!;
    let best = Infinity;
    for (const c of chosen) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (x[row * dim + j]! - x[c * dim + j]!) ** 2;
      best = Math.min(best, Math.sqrt(s));
    }
    assert.ok(Math.abs(novelty[k]! - best) <= 1e-5 * best + 1e-6, `pick ${k}: ${novelty[k]} vs ${best}`);
    chosen.push(row);
  }
});

test('a limit returns the head of the full order, and pruning skips most distances on clustered data', () => {
  const dim = 16;
  const x = dataset('clusters', 3000, dim, 11);
  const full = furthestPointOrder(x, dim);
  const head = furthestPointOrder(x, dim, { limit: 100 });
  assert.deepEqual([...head.order], [...full.order.subarray(0, 100)]);
  const stats = full.stats!;
  const done = stats.pointEvaluations + stats.centerEvaluations;
  assert.ok(done < 0.5 * stats.bruteEvaluations, `pruning evaluated ${done} of ${stats.bruteEvaluations}`);
});

test('bad input is rejected with the value named', () => {
  assert.throws(() => furthestPointOrder(new Float32Array(10), 3), /10 values, not a multiple of dimension 3/);
  assert.throws(() => furthestPointOrder(new Float32Array(9), 3, { seeds: [3] }), /seeds: row 3 is not in 0\.\.2/);
  assert.throws(() => furthestPointOrder(new Float32Array(9), 0), /dimension must be a positive integer, got 0/);
  assert.throws(() => furthestPointOrder(new Float32Array(9), 3, { limit: -1 }), /limit must be a non-negative integer, got -1/);
});
