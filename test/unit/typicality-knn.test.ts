import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactNeighboursOf } from '../../src/main/core/duplicates/exact-knn';
import { hnswNeighbourGraph } from '../../src/main/core/duplicates/hnsw-knn';
import { makePoints } from '../../src/main/core/evaluation/points';
import { gaussian, seededRandom } from '../../src/main/core/random';
import {
  exactTypicality,
  fpsDenseOrder,
  knnTypicality,
  typicality,
  TYPICALITY_EXACT_LIMIT,
  TYPICALITY_HNSW,
  TYPICALITY_NEIGHBOURS,
  typiclustOrder,
} from '../../src/main/core/strategies/index';

/** `count` points of `dim` dimensions around `clusters` Gaussian centres. */
function clustered(count: number, dim: number, clusters: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const gauss = (): number => gaussian(random);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gauss() * 4));
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const c = centres[i % clusters]!;
    for (let d = 0; d < dim; d++) out[i * dim + d] = c[d]! + gauss() * (0.5 + (i % 7) / 7);
  }
  return out;
}

test('typicality below the exact limit is the brute-force value, bit for bit', () => {
  const points = makePoints(clustered(600, 8, 5, 3), 8);
  assert.ok(points.count <= TYPICALITY_EXACT_LIMIT);
  assert.deepEqual(typicality(points), exactTypicality(points));
});

test('kNN (HNSW) typicality equals brute force on small sets, and so do the typiclust and fps-dense orders', () => {
  for (const seed of [1, 2]) {
    const points = makePoints(clustered(800, 16, 6, seed), 16);
    assert.deepEqual(knnTypicality(points), exactTypicality(points), `seed ${seed}: typicality`);
    // The HNSW path forced (exact limit 0) gives the orders the brute-force path gives.
    assert.deepEqual(fpsDenseOrder(points, { typicalityExactLimit: 0, limit: 200 }), fpsDenseOrder(points, { limit: 200 }), `seed ${seed}: fps-dense`);
    assert.deepEqual(typiclustOrder(points, [10, 10], { seed, typicalityExactLimit: 0 }), typiclustOrder(points, [10, 10], { seed }), `seed ${seed}: typiclust`);
  }
});

test('HNSW neighbours for typicality: recall ≥ 0.98 at 10,000 × 32, typicality within 1 % of exact', () => {
  const dim = 32;
  const count = 10_000;
  const vectors = clustered(count, dim, 40, 7);
  const ids = Int32Array.from({ length: count }, (_, i) => i);
  const k = TYPICALITY_NEIGHBOURS;
  const graph = hnswNeighbourGraph(vectors, dim, ids, k, { params: TYPICALITY_HNSW });
  const queries = Array.from({ length: 200 }, (_, q) => (q * 97) % count);
  const truth = exactNeighboursOf(vectors, dim, count, queries, k);
  let hits = 0;
  queries.forEach((row, q) => {
    const found = new Set(Array.from(graph.neighbours.subarray(row * k, row * k + k)));
    for (let m = 0; m < k; m++) if (found.has(truth[q * k + m]!)) hits++;
  });
  const recall = hits / (queries.length * k);
  assert.ok(recall >= 0.98, `recall ${recall}`);
  const points = makePoints(vectors, dim);
  const approx = typicality(points);
  for (const row of queries) {
    let sum = 0;
    for (let m = 0; m < k; m++) {
      const j = truth[queries.indexOf(row) * k + m]!;
      let s = 0;
      for (let d = 0; d < dim; d++) s += (vectors[row * dim + d]! - vectors[j * dim + d]!) ** 2;
      sum += Math.sqrt(s);
    }
    const exact = k / sum;
    assert.ok(Math.abs(approx[row]! - exact) <= 0.01 * exact, `row ${row}: ${approx[row]} vs ${exact}`);
  }
});
