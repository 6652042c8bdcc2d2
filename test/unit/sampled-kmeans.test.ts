import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kMeans } from '../../src/main/core/evaluation/kmeans';
import { makePoints } from '../../src/main/core/evaluation/points';
import { sampledKMeans, SAMPLED_KMEANS_ITERATIONS } from '../../src/main/core/evaluation/sampled-kmeans';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { typiclustBatch } from '../../src/main/core/strategies/index';

/** `count` rows around `clusters` well separated centres; row i belongs to centre i mod clusters. */
function separated(count: number, dim: number, clusters: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) out[i * dim + d] = (d === i % clusters ? 50 : 0) + gaussian(random);
  return out;
}

test('a pool within the sample size is clustered whole: the same result as kMeans, row for row', () => {
  const points = makePoints(separated(900, 6, 6, 2), 6);
  const whole = kMeans(points, 12, { seed: 3 });
  const sampled = sampledKMeans(points, 12, { seed: 3, sampleRows: 1_000 });
  assert.equal(sampled.fittedOn, 900);
  assert.deepEqual(sampled.assignment, whole.assignment);
  assert.deepEqual(sampled.sizes, whole.sizes);
});

test('a larger pool is fitted on a seeded sample and every row assigned: deterministic, the clusters found, the passes bounded', () => {
  const points = makePoints(separated(6_000, 6, 6, 4), 6);
  const a = sampledKMeans(points, 6, { seed: 5, sampleRows: 1_000 });
  const b = sampledKMeans(points, 6, { seed: 5, sampleRows: 1_000 });
  assert.equal(a.fittedOn, 1_000);
  assert.deepEqual(a.assignment, b.assignment, 'two runs with one seed differ');
  assert.ok(a.iterations <= SAMPLED_KMEANS_ITERATIONS);
  assert.equal(a.sizes.reduce((s, v) => s + v, 0), 6_000);
  // Each centre's rows share one cluster, and the six centres six clusters.
  const clusterOf = new Map<number, number>();
  for (let i = 0; i < 6_000; i++) {
    const seen = clusterOf.get(i % 6);
    if (seen === undefined) clusterOf.set(i % 6, a.assignment[i]!);
    else assert.equal(a.assignment[i], seen, `row ${i} left its centre's cluster`);
  }
  assert.equal(new Set(clusterOf.values()).size, 6);
});

test('rows that coincide (fewer distinct rows in the sample than clusters) never land in an unseeded cluster', () => {
  const dim = 4;
  const vectors = new Float32Array(3_000 * dim);
  for (let i = 0; i < 3_000; i++) vectors[i * dim + (i % 3)] = 10;
  const result = sampledKMeans(makePoints(vectors, dim), 8, { seed: 1, sampleRows: 500 });
  const used = new Set(result.assignment);
  assert.equal(used.size, 3, `${used.size} clusters used for 3 distinct rows`);
  for (const c of used) assert.ok(result.sizes[c]! > 0);
});

test('TypiClust above the sample size picks a full batch of distinct unlabeled rows, the same for a seed', () => {
  const random = seededRandom(9);
  const dim = 8;
  const vectors = Float32Array.from({ length: 12_000 * dim }, () => random() * 2 - 1);
  const points = makePoints(vectors, dim);
  const labeled = Array.from({ length: 200 }, (_, i) => i * 60);
  const batch = typiclustBatch(points, labeled, 10, { seed: 2 });
  assert.equal(batch.length, 10);
  assert.equal(new Set(batch).size, 10);
  for (const row of batch) assert.ok(!labeled.includes(row), `labeled row ${row} picked`);
  assert.deepEqual(typiclustBatch(points, labeled, 10, { seed: 2 }), batch);
});
