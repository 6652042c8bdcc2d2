import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { medianNearestNeighbourDistance, nearDuplicateClusters } from '../../src/main/core/evaluation/near-duplicates';
import { makePoints } from '../../src/main/core/evaluation/points';
import { groupedSplit, randomSplit } from '../../src/main/core/evaluation/test-split';

test('near-duplicate clusters join chains of close rows and leave distinct rows alone', () => {
  // 1-D: 0, 0.5, 1.0 form a chain (each step 0.5), 5 and 5.2 a pair, 9 stands alone.
  const points = makePoints(new Float32Array([0, 5, 0.5, 9, 1.0, 5.2]), 1);
  const clusters = nearDuplicateClusters(points, 0.6);
  const c = Array.from(clusters.cluster);
  assert.equal(clusters.count, 3);
  assert.equal(clusters.largest, 3);
  assert.equal(c[0], c[2]);
  assert.equal(c[0], c[4]);
  assert.equal(c[1], c[5]);
  assert.notEqual(c[0], c[1]);
  assert.notEqual(c[3], c[0]);
  assert.notEqual(c[3], c[1]);
  // Nearest-neighbour distances 0.5, 0.2, 0.5, 3.8, 0.5, 0.2 → median 0.5.
  assert.ok(Math.abs(medianNearestNeighbourDistance(points) - 0.5) < 1e-6);
});

test('the grouped split never separates a cluster, for any seed and fraction', () => {
  const random = seededRandom(7);
  for (let trial = 0; trial < 200; trial++) {
    const n = 20 + Math.floor(random() * 200);
    const groups = 1 + Math.floor(random() * 40);
    // Skewed cluster sizes: a few big near-duplicate families and many singletons.
    const cluster = Int32Array.from({ length: n }, () => Math.floor(random() ** 2 * groups));
    const fraction = 0.05 + random() * 0.5;
    const split = groupedSplit(cluster, fraction, trial);
    assert.equal(split.test.length + split.pool.length, n);
    assert.ok(split.test.length > 0, 'the test set is never empty');
    const side = new Map<number, 'test' | 'pool'>();
    const where = new Array<string>(n);
    for (const i of split.test) where[i] = 'test';
    for (const i of split.pool) {
      assert.notEqual(where[i], 'test', `row ${i} is on both sides`);
      where[i] = 'pool';
    }
    for (let i = 0; i < n; i++) {
      const s = where[i] as 'test' | 'pool';
      const seen = side.get(cluster[i]!);
      if (seen) assert.equal(s, seen, `cluster ${cluster[i]} is split (trial ${trial}, row ${i})`);
      else side.set(cluster[i]!, s);
    }
    const target = Math.max(1, Math.round(n * fraction));
    const smallest = Math.min(...[...new Set(cluster)].map((g) => cluster.filter((x) => x === g).length));
    assert.ok(split.test.length <= Math.max(target, smallest), `test set ${split.test.length} exceeds the target ${target}`);
  }
});

test('splits are reproducible for a seed and differ between seeds', () => {
  const cluster = Int32Array.from({ length: 100 }, (_, i) => i % 30);
  assert.deepEqual(groupedSplit(cluster, 0.2, 3), groupedSplit(cluster, 0.2, 3));
  assert.notDeepEqual(groupedSplit(cluster, 0.2, 3).test, groupedSplit(cluster, 0.2, 4).test);
  const r = randomSplit(100, 0.2, 5);
  assert.equal(r.test.length, 20);
  assert.equal(new Set([...r.test, ...r.pool]).size, 100);
  assert.throws(() => randomSplit(10, 1.5, 1), /between 0 and 1/);
});
