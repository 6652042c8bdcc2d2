import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactNeighboursOf } from '../../src/main/core/duplicates/exact-knn';
import { hnswNeighbourGraph } from '../../src/main/core/duplicates/hnsw-knn';
import { makePoints, subsetPoints } from '../../src/main/core/evaluation/points';
import { forgetPoolNeighbours, poolNeighbours } from '../../src/main/core/strategies/pool-neighbours';
import { gaussian, seededRandom } from '../../src/main/core/random';
import {
  exactTypicality,
  fpsDenseOrder,
  knnTypicality,
  typicality,
  typicalityOfRows,
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

test('kNN (HNSW) typicality matches brute force on small sets: the typiclust order equal, typicality within 5 %, the fps-dense order nearly so', () => {
  for (const seed of [1, 2]) {
    const points = makePoints(clustered(800, 16, 6, seed), 16);
    const approx = knnTypicality(points);
    const exact = exactTypicality(points);
    let equal = 0;
    for (let i = 0; i < points.count; i++) {
      assert.ok(Math.abs(approx[i]! - exact[i]!) <= 0.05 * exact[i]!, `seed ${seed}, row ${i}: ${approx[i]} vs ${exact[i]}`);
      if (approx[i] === exact[i]) equal++;
    }
    // The beams are wide enough to find every true neighbour of 800 rows, so every typicality is bit-identical.
    assert.equal(equal, points.count, `seed ${seed}: ${equal} of ${points.count} typicalities bit-identical`);
    // The HNSW path forced (exact limit 0) against the brute-force path, with clusters large against k as the HNSW
    // path meets them (clusters above the exact limit): typicality within a cluster from the pool's graph.
    assert.deepEqual(typiclustOrder(points, [3, 3], { seed, typicalityExactLimit: 0 }), typiclustOrder(points, [3, 3], { seed }), `seed ${seed}: typiclust`);
    const dense = fpsDenseOrder(points, { typicalityExactLimit: 0, limit: 200 });
    const reference = fpsDenseOrder(points, { limit: 200 });
    const shared = dense.filter((r) => reference.includes(r)).length;
    assert.ok(shared >= 0.95 * reference.length, `seed ${seed}: fps-dense heads share ${shared} of ${reference.length}`);
  }
});

test('an HNSW graph is the same every time it is built from the same vectors (usearch shares one search context between its threads)', () => {
  const dim = 16;
  const count = 800;
  const vectors = clustered(count, dim, 6, 4);
  const ids = Int32Array.from({ length: count }, (_, i) => i);
  const first = hnswNeighbourGraph(vectors, dim, ids, 2 * TYPICALITY_NEIGHBOURS, { params: TYPICALITY_HNSW });
  for (let build = 0; build < 5; build++) {
    const again = hnswNeighbourGraph(vectors, dim, ids, 2 * TYPICALITY_NEIGHBOURS, { params: TYPICALITY_HNSW });
    assert.deepEqual(again.neighbours, first.neighbours, `build ${build + 2} differs from the first`);
  }
});

test('HNSW neighbours for typicality: recall ≥ 0.98 at 10,000 × 32, typicality within 5 % of exact', () => {
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
    assert.ok(Math.abs(approx[row]! - exact) <= 0.05 * exact, `row ${row}: ${approx[row]} vs ${exact}`);
  }
});

test("typicality within a large cluster is read off the pool's graph: within 5 % of brute force over the cluster for 95 % of its rows, the same most typical row", () => {
  const dim = 16;
  const points = makePoints(clustered(6_000, dim, 6, 11), dim);
  // One Gaussian's rows (every 6th): a cluster above the exact limit given here.
  const rows = Array.from({ length: 1_000 }, (_, r) => r * 6);
  const approx = typicalityOfRows(points, rows, TYPICALITY_NEIGHBOURS, 500);
  const exact = exactTypicality(subsetPoints(points, rows));
  let close = 0;
  for (let r = 0; r < rows.length; r++) if (Math.abs(approx[r]! - exact[r]!) <= 0.05 * exact[r]!) close++;
  assert.ok(close >= 0.95 * rows.length, `${close} of ${rows.length} within 5 %`);
  const argmax = (t: Float64Array) => t.reduce((best, v, i) => (v > t[best]! ? i : best), 0);
  assert.equal(argmax(approx), argmax(exact));
});

test("the pool's graph is built once per set of vectors: a job's own copy of the same vectors reuses it, changed vectors rebuild it", () => {
  forgetPoolNeighbours();
  const dim = 8;
  const vectors = clustered(3_000, dim, 4, 5);
  const first = poolNeighbours(makePoints(vectors, dim), 40, TYPICALITY_HNSW);
  assert.equal(poolNeighbours(makePoints(vectors.slice(), dim), 40, TYPICALITY_HNSW), first, 'a copy of the same vectors rebuilt the graph');
  const moved = vectors.slice();
  moved[5] = moved[5]! + 1;
  const rebuilt = poolNeighbours(makePoints(moved, dim), 40, TYPICALITY_HNSW);
  assert.notEqual(rebuilt, first, 'changed vectors reused the old graph');
  assert.notEqual(poolNeighbours(makePoints(moved, dim), 20, TYPICALITY_HNSW), rebuilt, 'another neighbour count reused the graph');
});
