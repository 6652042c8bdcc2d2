import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { medianNearestNeighbourDistance, nearDuplicateClusters } from '../../src/main/core/evaluation/near-duplicates';
import { makePoints } from '../../src/main/core/evaluation/points';
import { groupedSplit, largestHeldOutGroup, randomSplit } from '../../src/main/core/evaluation/test-split';

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

/**
 * Like the demo: three common poses of 100 near-copies each (within a few
 * degrees of 0°, 120° and 240°), and 80 distinct items at angles spread over
 * the circle — too few to fill a 30 % test set on their own.
 */
function modesAndItems(): { cluster: Int32Array; angles: number[] } {
  const random = seededRandom(11);
  const cluster: number[] = [];
  const angles: number[] = [];
  for (const [mode, pose] of [0, 120, 240].entries()) {
    for (let i = 0; i < 100; i++) {
      cluster.push(mode);
      angles.push((pose + (random() - 0.5) * 6 + 360) % 360);
    }
  }
  for (let i = 0; i < 80; i++) {
    cluster.push(3 + i);
    angles.push((i * 4.5 + random() * 4) % 360);
  }
  return { cluster: Int32Array.from(cluster), angles };
}

test('a pose too large for the test set stays in the pool: the test set is distinct items whose angles cover the circle, and the pool keeps its share of them', () => {
  const { cluster, angles } = modesAndItems();
  for (let seed = 1; seed <= 50; seed++) {
    const split = groupedSplit(cluster, 0.3, seed);
    assert.ok(split.test.every((i) => cluster[i]! >= 3), `seed ${seed}: a common pose is held out`);
    assert.equal(split.test.length, Math.round(80 * 0.3), `seed ${seed}: the test set is the fraction of the distinct items`);
    assert.deepEqual(split.tooLarge, { groups: 3, rows: 300 });
    const bins = new Array<number>(12).fill(0);
    for (const i of split.test) bins[Math.floor(angles[i]! / 30) % 12]!++;
    assert.ok(Math.max(...bins) <= split.test.length / 3, `seed ${seed}: one 30° bin holds ${Math.max(...bins)} of ${split.test.length}`);
    const quadrants = [0, 1, 2, 3].map((q) => bins.slice(q * 3, q * 3 + 3).reduce((x, y) => x + y, 0));
    assert.ok(quadrants.every((n) => n > 0), `seed ${seed}: a quadrant of angles is missing from the test set (${quadrants.join(', ')})`);
  }
});

test('no group in the test set is larger than its share of the nominal test set (a few rows always may be), for any seed and fraction', () => {
  const random = seededRandom(3);
  for (let trial = 0; trial < 200; trial++) {
    const n = 40 + Math.floor(random() * 400);
    // A few huge modes, some mid-sized families, many singletons.
    const cluster = Int32Array.from({ length: n }, () => {
      const r = random();
      return r < 0.4 ? Math.floor(random() * 3) : r < 0.6 ? 3 + Math.floor(random() * 20) : 100 + Math.floor(random() * 10_000);
    });
    const fraction = 0.05 + random() * 0.4;
    const split = groupedSplit(cluster, fraction, trial);
    const size = new Map<number, number>();
    for (const g of cluster) size.set(g, (size.get(g) ?? 0) + 1);
    const nominal = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
    const cap = largestHeldOutGroup(nominal, [...size.values()]);
    const inTest = new Set(split.test.map((i) => cluster[i]!));
    for (const g of inTest) {
      assert.ok(size.get(g)! <= cap || inTest.size === 1, `trial ${trial}: group ${g} of ${size.get(g)} rows held out, cap ${cap}`);
      assert.ok(split.pool.every((i) => cluster[i] !== g), `trial ${trial}: group ${g} is split`);
    }
    assert.ok(split.test.length > 0 && split.pool.length > 0);
  }
});

test('where no group is too large (items of 8 variants and distinct images) the test set is the nominal fraction', () => {
  const cluster = Int32Array.from([...Array.from({ length: 150 * 8 }, (_, i) => Math.floor(i / 8)), ...Array.from({ length: 800 }, (_, i) => 150 + i)]);
  for (const seed of [1, 2, 3]) {
    const split = groupedSplit(cluster, 0.2, seed);
    assert.deepEqual(split.tooLarge, { groups: 0, rows: 0 });
    assert.equal(split.test.length, 400);
  }
});

test('where every item has several images, items are what a group typically is: a small project still holds them out', () => {
  // 300 rows, every item 8 views: a twentieth of the 60-row test set is 3 rows, but 8 is the median group.
  const cluster = Int32Array.from({ length: 304 }, (_, i) => Math.floor(i / 8));
  const split = groupedSplit(cluster, 0.2, 1);
  assert.deepEqual(split.tooLarge, { groups: 0, rows: 0 });
  assert.equal(split.test.length, 56, 'seven whole items, the most under the nominal 61');
  assert.equal(largestHeldOutGroup(60, [1, 1, 1, 8]), 4, 'a few rows may always be held out');
  assert.equal(largestHeldOutGroup(400, [1, 1, 8]), 20, 'a twentieth of the nominal test set');
});
