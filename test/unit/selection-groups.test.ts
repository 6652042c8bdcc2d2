import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { FpsEngine, HOT_SHARE } from '../../src/main/core/selection/fps-engine';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import type { KernelPreference } from '../../src/main/core/selection/kernel-factory';
import { kernelFor } from '../../src/main/core/selection/kernel-factory';
import { pointGroups } from '../../src/main/core/selection/point-groups';
import { canonicalSquaredDistance } from '../../src/main/core/selection/ts-kernel';
import { wasmSimdAvailable } from '../../src/main/core/selection/wasm-kernel';

const kernels: KernelPreference[] = wasmSimdAvailable() ? ['wasm-simd', 'typescript'] : ['typescript'];

/** The bench's latent-like data in small: Gaussian clusters of varied size and spread near a low-dim subspace, plus scattered outliers. */
function latentLike(n: number, dim: number, seed: number, options: { clusters?: number; outliers?: number; duplicates?: number; grid?: boolean } = {}): Float32Array {
  const random = seededRandom(seed);
  const clusters = options.clusters ?? 20;
  const sub = Math.min(4, dim);
  const basis = Array.from({ length: sub }, () => Array.from({ length: dim }, () => gaussian(random) / Math.sqrt(dim)));
  const centers = Array.from({ length: clusters }, () => Array.from({ length: sub }, () => gaussian(random) * 10));
  const spreads = Array.from({ length: clusters }, () => 0.2 + 2 * random());
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    if (i > 0 && random() < (options.duplicates ?? 0)) {
      const src = Math.floor(random() * i);
      x.copyWithin(o, src * dim, (src + 1) * dim);
      continue;
    }
    if (random() < (options.outliers ?? 0.02)) {
      for (let k = 0; k < dim; k++) x[o + k] = (random() - 0.5) * 60;
    } else {
      const c = Math.floor(random() ** 2 * clusters);
      const z = centers[c]!.map((v) => v + gaussian(random) * spreads[c]!);
      for (let k = 0; k < dim; k++) {
        let v = gaussian(random) * 0.05;
        for (let j = 0; j < sub; j++) v += z[j]! * basis[j]![k]!;
        x[o + k] = v;
      }
    }
    if (options.grid) for (let k = 0; k < dim; k++) x[o + k] = Math.round(x[o + k]! / 4); // many exactly equal distances
  }
  return x;
}

test('groups partition the rows; each member distance and radius is the kernel distance to the reference row', () => {
  const dim = 13;
  const x = latentLike(2000, dim, 1, { duplicates: 0.1 });
  for (const size of [1, 7, 64, 5000]) {
    const kernel = kernelFor(x, dim);
    const g = pointGroups(kernel, size);
    assert.equal(g.start[g.count], 2000);
    const seen = new Uint8Array(2000);
    for (let a = 0; a < g.count; a++) {
      const members = g.rows.subarray(g.start[a]!, g.start[a + 1]!);
      assert.ok(members.length >= 1 && members.length <= size, `group ${a} has ${members.length} rows`);
      assert.ok(members.includes(g.ref[a]!), 'the reference row is a member');
      let radius = 0;
      for (let k = g.start[a]!; k < g.start[a + 1]!; k++) {
        const i = g.rows[k]!;
        assert.equal(seen[i], 0, `row ${i} in two groups`);
        seen[i] = 1;
        assert.equal(g.groupOf[i], a);
        if (k > g.start[a]!) assert.ok(i > g.rows[k - 1]!, 'members ascending');
        assert.equal(g.dref[k], Math.sqrt(canonicalSquaredDistance(x, i, g.ref[a]!, dim)));
        radius = Math.max(radius, g.dref[k]!);
      }
      assert.equal(g.radius[a], radius);
    }
    assert.ok(seen.every((v) => v === 1));
  }
});

const cases = [
  { name: 'clusters with 2% outliers', n: 3000, dim: 16, opts: {}, labeled: 0, excluded: 0 },
  { name: 'clusters with 5% outliers, labels and exclusions', n: 2500, dim: 33, opts: { outliers: 0.05 }, labeled: 30, excluded: 40 },
  { name: 'clusters with 30% exact duplicates', n: 2000, dim: 8, opts: { duplicates: 0.3 }, labeled: 5, excluded: 5 },
  { name: 'ties: clustered data rounded to a coarse grid', n: 2000, dim: 6, opts: { grid: true }, labeled: 0, excluded: 10 },
  { name: 'ties and duplicates: grid plus copies, d=1', n: 800, dim: 1, opts: { grid: true, duplicates: 0.2 }, labeled: 3, excluded: 0 },
  { name: 'd=64 like the bench', n: 1500, dim: 64, opts: {}, labeled: 2, excluded: 0 },
];

/** A case's matrix and its seeded labeled and excluded rows (the same for every test of the case). */
function caseInputs(c: (typeof cases)[number], index: number) {
  const x = latentLike(c.n, c.dim, 10 + index, c.opts);
  const random = seededRandom(50 + index);
  const pick = (count: number) => [...new Set(Array.from({ length: count }, () => Math.floor(random() * c.n)))];
  return { x, seeds: pick(c.labeled), exclude: pick(c.excluded) };
}

for (const [index, c] of cases.entries()) {
  test(`grouped pruning gives the brute-force order and novelties bit for bit: ${c.name}`, () => {
    const { x, seeds, exclude } = caseInputs(c, index);
    for (const kernel of kernels) {
      const expected = furthestPointOrder(x, c.dim, { seeds, exclude, kernel, prune: false });
      for (const groupSize of [1, 3, 16, 100, undefined, c.n]) {
        const got = furthestPointOrder(x, c.dim, { seeds, exclude, kernel, groupSize });
        const label = `${kernel}, group size ${groupSize ?? 'default'}`;
        assert.deepEqual([...got.order], [...expected.order], `order (${label})`);
        assert.deepEqual([...got.novelty], [...expected.novelty], `novelty (${label})`);
      }
    }
  });
}

/** Every pick of a fresh engine on `x` after inserting the seeds, with `share(k)` as the full-step share before insertion k. */
function engineOrder(x: Float32Array, dim: number, kernel: KernelPreference, seeds: number[], exclude: number[], share: (k: number) => number, groupSize?: number, hotShare = 0) {
  const engine = FpsEngine.create(kernelFor(x, dim, kernel), (i) => !exclude.includes(i), { groupSize, hotShare });
  let k = 0;
  for (const seed of seeds) {
    engine.fullStepShare = share(k++);
    if (engine.isCandidate(seed)) engine.insert(seed);
  }
  const order: number[] = [];
  const novelty: number[] = [];
  for (;;) {
    engine.fullStepShare = share(k++);
    const next = engine.pick();
    if (!next) break;
    order.push(next.row);
    novelty.push(next.novelty);
  }
  return { order, novelty, stats: engine.stats };
}

for (const [index, c] of cases.entries()) {
  test(`the streamed full step, the tree, and switching between them mid-order give the brute-force order and novelties bit for bit: ${c.name}`, () => {
    const { x, seeds, exclude } = caseInputs(c, index);
    for (const kernel of kernels) {
      const expected = furthestPointOrder(x, c.dim, { seeds, exclude, kernel, prune: false });
      const switching = seededRandom(90 + index);
      const policies: [string, (k: number) => number][] = [
        ['always the full step', () => 0],
        ['never the full step', () => Infinity],
        ['a random path at every insertion', () => (switching() < 0.5 ? 0 : Infinity)],
        ['runs of each path', (k) => (Math.floor(k / 7) % 2 === 0 ? 0 : Infinity)],
        ['the default share', () => 0.5],
      ];
      for (const [name, share] of policies) {
        for (const groupSize of [4, undefined]) {
          const got = engineOrder(x, c.dim, kernel, seeds, exclude, share, groupSize);
          const label = `${kernel}, ${name}, group size ${groupSize ?? 'default'}`;
          assert.deepEqual(got.order, [...expected.order], `order (${label})`);
          assert.deepEqual(got.novelty, [...expected.novelty], `novelty (${label})`);
          // (The tree from the start: hot share 0.) Share 0 sends an insertion to the full step once anything was scanned since the previous one, so the tree still
          // serves the insertions after those that reached no row (every min-distance under the root already 0).
          if (name === 'always the full step') assert.ok(got.stats.fullSteps > 0, `${label}: ${got.stats.fullSteps} full steps`);
          if (name === 'never the full step') assert.ok(got.stats.fullSteps === 0 && got.stats.pointEvaluations > 0, `${label}: ${got.stats.fullSteps} full steps`);
        }
        // The first phase (the hot rows, then the tree built mid-order and handed every bound and center), under two policies.
        if (name === 'the default share' || name === 'a random path at every insertion') {
          const got = engineOrder(x, c.dim, kernel, seeds, exclude, share, undefined, HOT_SHARE);
          const label = `${kernel}, ${name}, first phase then the tree`;
          assert.deepEqual(got.order, [...expected.order], `order (${label})`);
          assert.deepEqual(got.novelty, [...expected.novelty], `novelty (${label})`);
        }
      }
    }
  });
}

test('the first phase refreshes its hot rows and hands over to the tree with the brute-force order and novelties bit for bit', () => {
  // The bench's latent-like shape in small: an 8-dim subspace in 64 dims and 2% outliers, where the first phase outlasts
  // its first choice of hot rows (measured: the tree takes over at pick 413, after refreshes).
  const n = 20_000;
  const dim = 64;
  const random = seededRandom(7);
  const basis = Array.from({ length: 8 }, () => Array.from({ length: dim }, () => gaussian(random) / Math.sqrt(dim)));
  const centers = Array.from({ length: 50 }, () => Array.from({ length: 8 }, () => gaussian(random) * 10));
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    if (random() < 0.02) {
      for (let k = 0; k < dim; k++) x[o + k] = (random() - 0.5) * 60;
      continue;
    }
    const c = Math.floor(random() ** 2 * 50);
    const z = centers[c]!.map((v) => v + gaussian(random) * 1.5);
    for (let k = 0; k < dim; k++) {
      let v = gaussian(random) * 0.05;
      for (let j = 0; j < 8; j++) v += z[j]! * basis[j]![k]!;
      x[o + k] = v;
    }
  }
  for (const kernel of kernels) {
    const expected = furthestPointOrder(x, dim, { kernel, prune: false, limit: 700 });
    const engine = FpsEngine.create(kernelFor(x, dim, kernel));
    const order: number[] = [];
    const novelty: number[] = [];
    let treeAt = -1;
    for (let k = 0; k < 700; k++) {
      const next = engine.pick()!;
      order.push(next.row);
      novelty.push(next.novelty);
      if (treeAt < 0 && engine.groups) treeAt = k;
    }
    assert.ok(engine.stats.hotRefreshes > 0 && treeAt > 64, `${kernel}: ${engine.stats.hotRefreshes} refreshes, tree at pick ${treeAt}`);
    assert.deepEqual(order, [...expected.order], `order (${kernel})`);
    assert.deepEqual(novelty, [...expected.novelty], `novelty (${kernel})`);
  }
});

test('on clustered data with outliers the groups skip most of the work: whole groups and single points, before reading their vectors', () => {
  const dim = 32;
  const n = 20_000;
  const x = latentLike(n, dim, 3);
  const { stats } = furthestPointOrder(x, dim, { limit: 500, groupSize: 64 });
  const s = stats!;
  const done = s.pointEvaluations + s.centerEvaluations;
  assert.ok(s.groupsSkipped > 0.5 * s.insertions * (n / 64), `groups skipped whole: ${s.groupsSkipped}`);
  assert.ok(s.pointsSkipped > 0, 'points skipped by their own bound');
  assert.ok(done < 0.2 * s.bruteEvaluations, `evaluated ${done} of ${s.bruteEvaluations}`);
});

for (const hotShare of [0, HOT_SHARE]) test(`an engine clone labels out of order and excludes like a fresh engine seeded the same way (hot share ${hotShare})`, () => {
  const dim = 12;
  const x = latentLike(3000, dim, 4, { duplicates: 0.05 });
  const kernel = kernelFor(x, dim);
  const engine = FpsEngine.create(kernel, undefined, { groupSize: 32, hotShare });
  const picks: number[] = [];
  const first = hotShare > 0 ? 3 : 60;
  for (let k = 0; k < first; k++) picks.push(engine.pick()!.row);
  if (hotShare > 0) assert.equal(engine.groups, null, 'cloned in the first phase, before any tree');
  const copy = engine.clone();
  const late = [2999, 1234, 17].filter((r) => copy.isCandidate(r));
  for (const r of late) copy.insert(r);
  copy.remove(5);
  copy.remove(2000);
  const fresh = FpsEngine.create(kernel, (i) => i !== 5 && i !== 2000, { groupSize: 32 });
  for (const r of [...picks, ...late]) if (fresh.isCandidate(r)) fresh.insert(r);
  for (let k = 0; k < 300; k++) assert.deepEqual(copy.pick(), fresh.pick(), `pick ${k}`);
  assert.equal(copy.coveringRadius(), fresh.coveringRadius());
  if (hotShare > 0) assert.notEqual(copy.groups, null, 'the clone went on to the tree');
  // The original is untouched by its clone.
  const again = FpsEngine.create(kernel, undefined, { groupSize: 32, hotShare: 0 });
  for (let k = 0; k < first; k++) again.pick();
  for (let k = 0; k < 50; k++) assert.deepEqual(engine.pick(), again.pick());
});
