import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { buildNeighbourGraph } from '../../src/main/core/duplicates/build-graph';
import { exactNeighbourGraph } from '../../src/main/core/duplicates/exact-knn';
import { measureRecall, sampleRows } from '../../src/main/core/duplicates/recall';
import { distanceHistogram, proposeThreshold } from '../../src/main/core/duplicates/threshold';

function randomVectors(count: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * dim }, () => random());
}

/** Points around `centres` random centres: the clustered shape real latents have. */
function clusteredVectors(count: number, dim: number, centres: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const c = Float32Array.from({ length: centres * dim }, () => gaussian(random) * 4);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const centre = Math.floor(random() * centres);
    for (let q = 0; q < dim; q++) out[i * dim + q] = c[centre * dim + q]! + gaussian(random);
  }
  return out;
}

const idsFor = (count: number) => Int32Array.from({ length: count }, (_, i) => 1000 + i);

test('the exact graph lists each sample’s true nearest neighbours, nearest first, by brute force over all pairs', () => {
  const dim = 5;
  const count = 300;
  const vectors = randomVectors(count, dim, 7);
  // Two identical vectors: each must be the other's nearest neighbour at distance 0.
  vectors.set(vectors.subarray(3 * dim, 4 * dim), 10 * dim);
  const k = 6;
  const graph = exactNeighbourGraph(vectors, dim, idsFor(count), k);
  assert.equal(graph.neighbours.length, count * k);
  for (const row of [0, 3, 10, 150, 299]) {
    const all = Array.from({ length: count }, (_, j) => j)
      .filter((j) => j !== row)
      .map((j) => ({ j, d: Math.hypot(...Array.from({ length: dim }, (_, q) => vectors[row * dim + q]! - vectors[j * dim + q]!)) }))
      .sort((a, b) => a.d - b.d || a.j - b.j);
    const listed = Array.from(graph.neighbours.subarray(row * k, row * k + k));
    assert.deepEqual(listed, all.slice(0, k).map((e) => e.j), `neighbours of row ${row}`);
    for (let c = 0; c < k; c++) assert.ok(Math.abs(graph.distances[row * k + c]! - all[c]!.d) < 1e-5);
  }
  assert.equal(graph.neighbours[3 * k], 10);
  assert.equal(graph.distances[10 * k], 0);
});

test('a pool smaller than k + 1 leaves the missing neighbours empty', () => {
  const graph = exactNeighbourGraph(randomVectors(3, 2, 1), 2, idsFor(3), 5);
  assert.deepEqual(Array.from(graph.neighbours.subarray(0, 5)).slice(2), [-1, -1, -1]);
  assert.equal(graph.distances[4], Infinity);
});

test('above the exact limit the graph comes from HNSW, with its recall at k = 10 measured against exact search (≥ 0.95)', () => {
  const dim = 32;
  const count = 4000;
  const vectors = clusteredVectors(count, dim, 60, 3);
  const built = buildNeighbourGraph(vectors, dim, idsFor(count), { k: 10, exactLimit: 1000, recallQueries: 300 });
  assert.equal(built.method, 'hnsw');
  assert.equal(built.recallQueries, 300);
  assert.ok(built.recall >= 0.95, `recall ${built.recall}`);
  // Distances are recomputed exactly and sorted, as in the exact graph.
  for (let c = 1; c < 10; c++) assert.ok(built.graph.distances[c]! >= built.graph.distances[c - 1]!);
  const exact = buildNeighbourGraph(vectors, dim, idsFor(count), { k: 10, exactLimit: 10_000 });
  assert.equal(exact.method, 'exact');
  assert.equal(exact.recall, 1);
});

test('measured recall falls by exactly the share of neighbours a graph misses', () => {
  const dim = 8;
  const count = 500;
  const vectors = randomVectors(count, dim, 11);
  const graph = exactNeighbourGraph(vectors, dim, idsFor(count), 10);
  assert.equal(measureRecall(graph, vectors, dim, 100).recall, 1);
  // Replace every row's two nearest neighbours by the farthest sample in the pool: 2 of 10 missed.
  const damaged = { ...graph, neighbours: Int32Array.from(graph.neighbours) };
  for (let row = 0; row < count; row++) {
    let far = 0;
    let farDistance = -1;
    for (let j = 0; j < count; j++) {
      let s = 0;
      for (let q = 0; q < dim; q++) s += (vectors[row * dim + q]! - vectors[j * dim + q]!) ** 2;
      if (s > farDistance) [far, farDistance] = [j, s];
    }
    damaged.neighbours[row * 10] = far;
    damaged.neighbours[row * 10 + 1] = far;
  }
  const measured = measureRecall(damaged, vectors, dim, 100);
  assert.equal(measured.queries, 100);
  assert.ok(Math.abs(measured.recall - 0.8) < 1e-9, `recall ${measured.recall}`);
});

test('recall samples are distinct rows, reproducible from the seed', () => {
  const rows = sampleRows(1000, 200, 5);
  assert.equal(new Set(rows).size, 200);
  assert.ok(rows.every((r) => r >= 0 && r < 1000));
  assert.deepEqual(sampleRows(1000, 200, 5), rows);
  assert.equal(sampleRows(10, 200, 5).length, 10);
});

test('the proposed threshold separates planted close pairs from the bulk of nearest-neighbour distances', () => {
  const random = seededRandom(2);
  const bulk = Array.from({ length: 300 }, () => Math.exp(gaussian(random) * 0.15));
  const close = Array.from({ length: 100 }, () => 0.02 + random() * 0.03);
  const threshold = proposeThreshold([...bulk, ...close, 0, Infinity]);
  assert.ok(threshold > 0.05, `threshold ${threshold} must keep every planted pair`);
  assert.ok(threshold < Math.min(...bulk), `threshold ${threshold} must stay below the closest ordinary pair ${Math.min(...bulk)}`);
  // Never above half the median: a tight bulk alone does not produce duplicates.
  assert.ok(proposeThreshold(bulk) <= 0.5 * 1.0001 * [...bulk].sort((a, b) => a - b)[150]!);
  assert.equal(proposeThreshold([0, 0, Infinity]), 0);
});

test('the histogram counts every finite distance once and puts the threshold on its axis', () => {
  const distances = [0, 0, 0.1, 0.2, 0.5, 1, 1, 1.1, 1.2, 50, Infinity];
  const histogram = distanceHistogram(distances, 0.3, 10);
  assert.equal(histogram.counts.length, 10);
  assert.equal(histogram.edges.length, 11);
  assert.equal(histogram.counts.reduce((a, b) => a + b, 0), 10);
  assert.equal(histogram.zeros, 2);
  assert.ok(histogram.edges[10]! >= 0.45);
  assert.equal(histogram.counts[9]! >= 1, true, 'the far outlier is counted in the last bin');
});
