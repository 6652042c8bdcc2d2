import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kMeans } from '../../src/main/core/evaluation/kmeans';
import { makePoints } from '../../src/main/core/evaluation/points';
import { fpsDenseOrder, typicality, typiclustBatch, typiclustBatchSizes, typiclustOrder } from '../../src/main/core/strategies/index';
import { strategyOrder } from '../../src/main/core/strategies/registry';
import { furthestPointOrderFrom } from '../../src/main/core/strategies/fps-order';

/** A centre and `ring` points at distance 1 around it: the centre is the blob's most typical point. */
function blob(cx: number, cy: number, ring: number): number[] {
  const out = [cx, cy];
  for (let k = 0; k < ring; k++) out.push(cx + Math.cos((2 * Math.PI * k) / ring), cy + Math.sin((2 * Math.PI * k) / ring));
  return out;
}

// A: rows 0..6 (centre row 0), B: rows 7..12 (centre row 7), C: rows 13..17 (centre row 13).
const blobs = makePoints(new Float32Array([...blob(0, 0, 6), ...blob(20, 0, 5), ...blob(0, 20, 4)]), 2);

test('typicality is the inverse mean distance to the k nearest neighbours', () => {
  const t = typicality(makePoints(new Float32Array([0, 1, 3]), 1), 2);
  // 0: (1 + 3) / 2 = 2; 1: (1 + 2) / 2 = 1.5; 3: (2 + 3) / 2 = 2.5.
  assert.deepEqual(Array.from(t).map((v) => Math.round(v * 1e9) / 1e9), [0.5, Math.round(1e9 / 1.5) / 1e9, 0.4]);
  const k1 = typicality(makePoints(new Float32Array([0, 1, 3]), 1), 1);
  assert.deepEqual(Array.from(k1), [1, 1, 0.5]);
});

test('k-means separates three far-apart blobs exactly', () => {
  const { assignment, sizes } = kMeans(blobs, 3, { seed: 5 });
  assert.deepEqual([...sizes].sort((a, b) => b - a), [7, 6, 5]);
  for (const [from, to] of [[0, 7], [7, 13], [13, 18]] as const) {
    for (let i = from; i < to; i++) assert.equal(assignment[i], assignment[from], `row ${i} left its blob`);
  }
  assert.equal(new Set([assignment[0], assignment[7], assignment[13]]).size, 3);
  // More clusters than distinct points: the extra clusters stay empty instead of failing.
  const twins = kMeans(makePoints(new Float32Array([1, 1, 1, 2]), 1), 3, { seed: 1 });
  assert.equal(twins.sizes.reduce((a, b) => a + b, 0), 4);
});

test('typiclust takes the centre of each blob, largest blob first, then never repeats a pick', () => {
  assert.deepEqual(typiclustBatch(blobs, [], 3, { seed: 2 }), [0, 7, 13]);
  const order = typiclustOrder(blobs, [3, 3], { seed: 2 });
  assert.equal(order.length, 6);
  assert.deepEqual(order.slice(0, 3), [0, 7, 13]);
  assert.equal(new Set(order).size, 6);
  // With blob A labeled, a batch of 2 goes to the other two blobs' centres.
  assert.deepEqual(typiclustBatch(blobs, [1], 2, { seed: 2 }).sort((a, b) => a - b), [7, 13]);
  // The batch size drives the batches, as in the queue: 3 is batches of 3 and 3, whatever the budgets.
  assert.deepEqual(strategyOrder('typiclust', blobs, { limit: 6, budgets: [6], typiclustBatch: 3, seed: 2 }), order);
  assert.deepEqual(typiclustBatchSizes(25, 10), [10, 10, 5]);
});

test('fps starts farthest from the mean and then always takes the point farthest from those chosen', () => {
  // 1-D: 0, 1, 2, 10, 4. Mean 3.4 → 10 first; then 0; then 4 (distance 4); then 2; then 1.
  const points = makePoints(new Float32Array([0, 1, 2, 10, 4]), 1);
  assert.deepEqual(furthestPointOrderFrom(points, []), [3, 0, 4, 2, 1]);
  assert.deepEqual(strategyOrder('fps', points, { limit: 3, budgets: [3], seed: 1 }), [3, 0, 4]);
  // Continuing from labeled rows 0 and 3: 4 is farthest from both (distance 4 to 0), then 2, then 1.
  assert.deepEqual(furthestPointOrderFrom(points, [0, 3]), [4, 2, 1]);
});

test('fps-dense leaves the outlier for last where plain fps takes it first', () => {
  const line = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 50];
  const points = makePoints(new Float32Array(line), 1);
  const fps = strategyOrder('fps', points, { limit: 11, budgets: [11], seed: 1 });
  assert.equal(fps[0], 10);
  const dense = fpsDenseOrder(points, { quantile: 0.1, neighbours: 3 });
  assert.equal(dense.length, 11);
  assert.equal(new Set(dense).size, 11);
  assert.equal(dense[10], 10, 'the outlier comes after every dense row');
  assert.deepEqual(fpsDenseOrder(points, { quantile: 0.1, neighbours: 3, limit: 4 }), dense.slice(0, 4));
});

test('random is a seeded permutation: reproducible per seed, different across seeds', () => {
  const points = makePoints(new Float32Array(50), 1);
  const a = strategyOrder('random', points, { limit: 50, budgets: [50], seed: 11 });
  assert.deepEqual([...a].sort((x, y) => x - y), [...Array(50).keys()]);
  assert.deepEqual(strategyOrder('random', points, { limit: 50, budgets: [50], seed: 11 }), a);
  assert.notDeepEqual(strategyOrder('random', points, { limit: 50, budgets: [50], seed: 12 }), a);
});
