import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { kMeans } from '../../src/main/core/evaluation/kmeans';
import { makePoints, squaredDistance, type Points } from '../../src/main/core/evaluation/points';
import { autoOrder, ballPurityRadius, coverBalls, coverOrder, probcoverOrder, strategyOrder } from '../../src/main/core/strategies/index';
import { seededShuffle } from '../../src/main/core/evaluation/seeded-shuffle';
import { subsetPoints } from '../../src/main/core/evaluation/points';
import { furthestPointOrderFrom } from '../../src/main/core/strategies/fps-order';
import { createKernel } from '../../src/main/core/selection/kernel-factory';
import { QueueState } from '../../src/main/core/selection/queue-state';
import { seededPermutation } from '../../src/main/core/selection/random-order';

/** Blobs of different sizes and spreads plus a few far outliers, with exact duplicates so ties are exercised. */
function blobs(n: number, dim: number, seed: number): Points {
  const random = seededRandom(seed);
  const centers = Array.from({ length: 5 }, () => Array.from({ length: dim }, () => gaussian(random) * 6));
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.min(4, Math.floor(random() * random() * 6));
    const spread = 0.5 + c * 0.3;
    for (let k = 0; k < dim; k++) x[i * dim + k] = centers[c]![k]! + gaussian(random) * spread;
  }
  for (let i = 0; i < 3; i++) for (let k = 0; k < dim; k++) x[i * dim + k] = 40 + gaussian(random) * 10;
  for (let i = 0; i < n / 25; i++) x.copyWithin((n - 1 - i) * dim, (i + 5) * dim, (i + 6) * dim);
  return makePoints(x, dim);
}

/** The paper's rule by brute force: try every pairwise distance as δ, keep the largest whose pure-ball share is ≥ purity. */
function bruteRadius(points: Points, purity: number, clusters: number, seed: number): number {
  const n = points.count;
  const { assignment } = kMeans(points, Math.min(clusters, n), { seed });
  const candidates = new Set<number>([Infinity]);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) candidates.add(Math.sqrt(squaredDistance(points, i, points, j)));
  let best = 0;
  for (const delta of candidates) {
    let pure = 0;
    for (let i = 0; i < n; i++) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) if (assignment[j] !== assignment[i] && Math.sqrt(squaredDistance(points, i, points, j)) < delta) ok = false;
      if (ok) pure++;
    }
    if (pure >= Math.ceil(purity * n) && delta > best) best = delta;
  }
  return best;
}

/** Greedy coverage recomputed from scratch at every step (no incremental gains), then furthest point. */
function bruteCover(points: Points, radius: number, known: number[], limit: number, minGain: number): number[] {
  const n = points.count;
  const inBall = (a: number, b: number) => a === b || Math.sqrt(squaredDistance(points, a, points, b)) < radius;
  const chosen = [...known];
  const order: number[] = [];
  while (order.length < limit) {
    let best = -1;
    let bestGain = 0;
    for (let i = 0; i < n; i++) {
      if (chosen.includes(i)) continue;
      let gain = 0;
      for (let j = 0; j < n; j++) if (inBall(i, j) && !chosen.some((c) => inBall(c, j))) gain++;
      if (gain > bestGain) [best, bestGain] = [i, gain];
    }
    if (best < 0 || bestGain < minGain) break;
    chosen.push(best);
    order.push(best);
  }
  return order.concat(furthestPointOrderFrom(points, chosen, limit - order.length));
}

test('the ball radius is the largest keeping 95 % of balls pure (brute force over every pairwise distance)', () => {
  for (const seed of [1, 2, 3]) {
    const points = blobs(60, 3, seed);
    for (const [purity, clusters] of [[0.95, 5], [0.8, 3], [1, 4]] as const) {
      const radius = ballPurityRadius(points, { purity, clusters, seed });
      assert.ok(Math.abs(radius - bruteRadius(points, purity, clusters, seed)) < 1e-9, `seed ${seed}, purity ${purity}, ${clusters} clusters`);
    }
  }
  // One cluster: every ball is pure at any radius, so one ball covers everything.
  assert.equal(ballPurityRadius(blobs(20, 2, 1), { clusters: 1 }), Infinity);
});

test('probcover and auto equal the brute-force greedy coverage, from nothing and from labeled rows', () => {
  for (const seed of [4, 5]) {
    const points = blobs(80, 4, seed);
    const radius = ballPurityRadius(points, { seed });
    for (const known of [[], [7, 30, 31]]) {
      assert.deepEqual(probcoverOrder(points, { radius, known, limit: 40 }), bruteCover(points, radius, known, 40, 1), `probcover, seed ${seed}, known ${known}`);
      assert.deepEqual(autoOrder(points, { radius, known, limit: 40 }), bruteCover(points, radius, known, 40, 2), `auto, seed ${seed}, known ${known}`);
    }
  }
});

test('above the sample limit the balls are a seeded sample\'s: coverage picks equal brute force over the sample, a known row outside it covers the centres near it, then furthest point over the whole pool', () => {
  const points = blobs(400, 3, 12);
  const sampleLimit = 120;
  for (const seed of [1, 2]) {
    const sample = Int32Array.from(seededShuffle(points.count, seed).slice(0, sampleLimit)).sort();
    const inSample = new Set(sample);
    const { radius, centres } = coverBalls(points, { seed, sampleLimit });
    assert.deepEqual(centres, sample);
    assert.equal(radius, ballPurityRadius(subsetPoints(points, sample), { seed }), 'the radius is the sample\'s');
    const outside = [...Array(points.count).keys()].filter((r) => !inSample.has(r));
    const known = [sample[3]!, outside[0]!, outside[50]!, outside[51]!];
    for (const minGain of [1, 2]) {
      // The reference: brute-force greedy coverage over the sample plus the known rows, those taken first (a taken row
      // is covered, so it adds nothing to any ball's gain: exactly a known row outside the sample covering its neighbours).
      const rows = [...new Set([...sample, ...known])].sort((a, b) => a - b);
      const sub = subsetPoints(points, rows);
      const inBall = (a: number, b: number) => a === b || Math.sqrt(squaredDistance(sub, a, sub, b)) < radius;
      const chosen = known.map((r) => rows.indexOf(r));
      const picks: number[] = [];
      for (;;) {
        let best = -1;
        let bestGain = 0;
        for (let i = 0; i < sub.count; i++) {
          if (chosen.includes(i)) continue;
          let gain = 0;
          for (let j = 0; j < sub.count; j++) if (inBall(i, j) && !chosen.some((c) => inBall(c, j))) gain++;
          if (gain > bestGain) [best, bestGain] = [i, gain];
        }
        if (best < 0 || bestGain < minGain) break;
        chosen.push(best);
        picks.push(rows[best]!);
      }
      assert.ok(picks.length > 3, 'some coverage picks');
      const order = coverOrder(points, { seed, sampleLimit, known, minGain, limit: picks.length + 5 });
      assert.deepEqual(order.slice(0, picks.length), picks, `seed ${seed}, minGain ${minGain}: coverage picks`);
      assert.ok(picks.every((r) => inSample.has(r)), 'picks are sample rows');
      assert.deepEqual(order.slice(picks.length), furthestPointOrderFrom(points, [...known, ...picks], 5), 'then furthest point over the whole pool');
    }
  }
});

test('probcover covers dense blobs before outliers; auto hands over to furthest point once picks stop representing', () => {
  // Two tight blobs of 6 and 4 on a line, and two isolated samples far out.
  const points = makePoints(new Float32Array([0, 0.1, 0.2, 0.3, 0.4, 0.5, 10, 10.1, 10.2, 10.3, 30, 60]), 1);
  const radius = 1;
  const cover = probcoverOrder(points, { radius });
  assert.deepEqual(cover.slice(0, 2), [0, 6], 'one pick per blob, the larger blob first');
  assert.deepEqual(cover.slice(2, 4), [10, 11], 'then the isolated samples, lowest row first');
  const auto = autoOrder(points, { radius });
  assert.deepEqual(auto.slice(0, 2), [0, 6]);
  assert.deepEqual(auto.slice(2), furthestPointOrderFrom(points, [0, 6]));
  assert.equal(auto[2], 11, 'the farthest sample next: novelty');
});

test('bit-identical orders for a seed; strategyOrder serves both names', () => {
  const points = blobs(120, 5, 9);
  const a = strategyOrder('probcover', points, { limit: 50, budgets: [10, 50], seed: 3 });
  const b = strategyOrder('probcover', points, { limit: 50, budgets: [10, 50], seed: 3 });
  assert.deepEqual(a, b);
  assert.equal(new Set(a).size, 50);
  const c = strategyOrder('auto', points, { limit: 120, budgets: [120], seed: 3 });
  assert.deepEqual(c, strategyOrder('auto', points, { limit: 120, budgets: [120], seed: 3 }));
  assert.equal(new Set(c).size, 120, 'every row once');
});

test('the live probcover and auto queues equal the evaluation order, move on when the head is labeled, and recompute after an out-of-order label', () => {
  const points = blobs(150, 4, 11);
  const n = points.count;
  const kernel = createKernel(n, points.dim);
  kernel.vectors.set(points.vectors);
  const pool = new Uint8Array(n).fill(1);
  const state = new QueueState(kernel, {
    inPool: pool,
    labeled: new Uint8Array(n),
    randomOrder: seededPermutation(n, 1),
    typiclust: { batchSize: 10, seed: 6, stored: () => null, save: () => undefined },
  });
  const radius = ballPurityRadius(points, { seed: 6 });
  for (const [name, order] of [['probcover', probcoverOrder], ['auto', autoOrder]] as const) {
    const expected = order(points, { radius, limit: 30 });
    assert.deepEqual(state.entries(name, 0, 30).map((e) => e.row), expected, name);
  }
  const restarts = state.counters.restarts;
  const head = state.entries('probcover', 0, 1)[0]!.row;
  state.label(head);
  const out = state.entries('probcover', 0, 5)[0]!.row;
  assert.notEqual(out, head);
  state.label(state.entries('probcover', 0, 20)[7]!.row);
  const labeled = [...Array(n).keys()].filter((r) => state.isLabeled(r));
  for (const [name, order] of [['probcover', probcoverOrder], ['auto', autoOrder]] as const) {
    assert.deepEqual(state.entries(name, 0, 25).map((e) => e.row), order(points, { radius, known: labeled, limit: 25 }), `${name} after labels ${labeled}`);
  }
  assert.ok(state.counters.restarts >= restarts);
  // Excluding a sample changes the pool: radius and balls follow the new pool.
  state.exclude(3);
  const rows = [...Array(n).keys()].filter((r) => r !== 3);
  const subset = makePoints(Float32Array.from(rows.flatMap((r) => Array.from(points.vectors.subarray(r * points.dim, (r + 1) * points.dim)))), points.dim);
  const known = labeled.map((r) => rows.indexOf(r));
  const expected = probcoverOrder(subset, { seed: 6, known, limit: 20 }).map((k) => rows[k]!);
  assert.deepEqual(state.entries('probcover', 0, 20).map((e) => e.row), expected);
});
