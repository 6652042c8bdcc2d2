import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { FpsEngine } from '../../src/main/core/selection/fps-engine';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { kernelFor, type KernelPreference } from '../../src/main/core/selection/kernel-factory';
import { DECISION_PICKS, DECISION_SAMPLE_ROWS, TREE_PAYS_AT_MOST, treeDecision } from '../../src/main/core/selection/tree-decision';
import { wasmSimdAvailable } from '../../src/main/core/selection/wasm-kernel';

const kernels: KernelPreference[] = wasmSimdAvailable() ? ['wasm-simd', 'typescript'] : ['typescript'];

function uniform(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n * dim }, () => random());
}

/** Encoder-latent-like: Gaussian clusters of varied spread near an 8-dim subspace of 64 dims, 2% scattered outliers. */
function latentLike(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
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
    const z = centers[c]!.map((v) => v + gaussian(random) * (0.2 + (c % 7) * 0.3));
    for (let k = 0; k < dim; k++) {
      let v = gaussian(random) * 0.05;
      for (let j = 0; j < 8; j++) v += z[j]! * basis[j]![k]!;
      x[o + k] = v;
    }
  }
  return x;
}

/** The engine's picks (after inserting `seeds`) and the phase that served the last of them. */
function enginePicks(x: Float32Array, dim: number, kernel: KernelPreference, picks: number, tree?: 'auto' | 'always' | 'never', seeds: number[] = [], exclude: number[] = []) {
  const engine = FpsEngine.create(kernelFor(x, dim, kernel), (i) => !exclude.includes(i), { tree });
  for (const s of seeds) if (engine.isCandidate(s)) engine.insert(s);
  const order: number[] = [];
  const novelty: number[] = [];
  for (let k = 0; k < picks; k++) {
    const next = engine.pick();
    if (!next) break;
    order.push(next.row);
    novelty.push(next.novelty);
  }
  return { order, novelty, phase: engine.phase, groups: engine.groups, stats: engine.stats };
}

test('uniform high-dimensional data: the sample says the tree would not pay, no tree is built, and the order is the brute-force one bit for bit', () => {
  const n = 6000;
  const dim = 64;
  const x = uniform(n, dim, 1);
  for (const kernel of kernels) {
    const decision = treeDecision(kernelFor(x, dim, kernel));
    assert.equal(decision.pays, false, `${kernel}: reached share ${decision.computedShare}`);
    assert.ok(decision.computedShare > TREE_PAYS_AT_MOST);
    const expected = furthestPointOrder(x, dim, { kernel, prune: false, limit: 400 });
    const got = enginePicks(x, dim, kernel, 400);
    assert.equal(got.phase, 'stream', `${kernel}: the first phase handed over to the streamed step`);
    assert.equal(got.groups, null, `${kernel}: no pruning tree`);
    assert.deepEqual(got.order, [...expected.order], `order (${kernel})`);
    assert.deepEqual(got.novelty, [...expected.novelty], `novelty (${kernel})`);
  }
});

test('clustered latent-like data near a low-dimensional subspace: the sample says the tree pays, it is built, and the order is the brute-force one bit for bit', () => {
  const n = 20_000;
  const dim = 64;
  const x = latentLike(n, dim, 7);
  for (const kernel of kernels) {
    const decision = treeDecision(kernelFor(x, dim, kernel));
    assert.equal(decision.pays, true, `${kernel}: reached share ${decision.computedShare}`);
    assert.equal(decision.sampleRows, DECISION_SAMPLE_ROWS, 'a sample, not every row');
    const expected = furthestPointOrder(x, dim, { kernel, prune: false, limit: 700 });
    const got = enginePicks(x, dim, kernel, 700);
    assert.equal(got.phase, 'tree', `${kernel}: the first phase handed over to the tree`);
    assert.notEqual(got.groups, null);
    assert.deepEqual(got.order, [...expected.order], `order (${kernel})`);
    assert.deepEqual(got.novelty, [...expected.novelty], `novelty (${kernel})`);
  }
});

test('the small sample stands clear of the threshold on both sides, seed after seed: uniform data in 32 and 64 dimensions far above, latent-like data far below', () => {
  // The margins the sample size was chosen for (tree-decision.ts): a smaller sample would bring latent-like data up to the threshold.
  const margin = 0.1;
  for (let seed = 1; seed <= 4; seed++) {
    for (const dim of [32, 64]) {
      const decision = treeDecision(kernelFor(uniform(20_000, dim, seed), dim));
      assert.equal(decision.sampleRows, DECISION_SAMPLE_ROWS);
      assert.equal(decision.picks, DECISION_PICKS);
      assert.ok(decision.computedShare > TREE_PAYS_AT_MOST + margin, `uniform ${dim}-dim, seed ${seed}: share ${decision.computedShare}`);
    }
    const latent = treeDecision(kernelFor(latentLike(20_000, 64, seed), 64));
    assert.ok(latent.computedShare < TREE_PAYS_AT_MOST - margin, `latent-like, seed ${seed}: share ${latent.computedShare}`);
  }
});

test('uniform data in few dimensions prunes well: the tree is built there too', () => {
  const x = uniform(8000, 2, 3);
  const decision = treeDecision(kernelFor(x, 2));
  assert.equal(decision.pays, true, `reached share ${decision.computedShare}`);
});

test('the decision reads only the matrix: the same for every engine on a kernel, whatever its pool', () => {
  const dim = 64;
  const x = uniform(3000, dim, 4);
  const kernel = kernelFor(x, dim);
  const first = treeDecision(kernel);
  assert.equal(treeDecision(kernel), first, 'computed once per kernel');
  const again = treeDecision(kernelFor(x, dim));
  assert.deepEqual(again, first, 'the same matrix in another kernel decides the same');
});

test('the streamed step forced on any data, with labels, exclusions and ties, gives the brute-force order and novelties bit for bit', () => {
  const random = seededRandom(11);
  const sets: [string, Float32Array, number][] = [
    ['latent-like', latentLike(3000, 16, 5), 16],
    ['grid (many equal distances)', Float32Array.from({ length: 2000 * 5 }, () => Math.floor(random() * 3)), 5],
    ['uniform', uniform(2500, 33, 6), 33],
  ];
  for (const [name, x, dim] of sets) {
    const n = x.length / dim;
    const seeds = [...new Set(Array.from({ length: 6 }, () => Math.floor(random() * n)))];
    const exclude = [...new Set(Array.from({ length: 9 }, () => Math.floor(random() * n)))].filter((r) => !seeds.includes(r));
    for (const kernel of kernels) {
      const expected = furthestPointOrder(x, dim, { kernel, prune: false, seeds, exclude });
      for (const tree of ['never', 'always', 'auto'] as const) {
        const got = enginePicks(x, dim, kernel, n, tree, seeds, exclude);
        const label = `${name}, ${kernel}, tree ${tree}`;
        assert.deepEqual(got.order, [...expected.order], `order (${label})`);
        assert.deepEqual(got.novelty, [...expected.novelty], `novelty (${label})`);
        if (tree === 'never') assert.equal(got.groups, null, label);
      }
    }
  }
});

test('a streamed engine clone labels out of order and excludes like a fresh engine seeded the same way, and leaves the original untouched', () => {
  const dim = 48;
  const x = uniform(3000, dim, 8);
  const kernel = kernelFor(x, dim);
  const engine = FpsEngine.create(kernel, undefined, { tree: 'never' });
  const picks: number[] = [];
  for (let k = 0; k < 80; k++) picks.push(engine.pick()!.row);
  assert.equal(engine.phase, 'stream');
  const copy = engine.clone();
  const late = [2999, 1234, 17].filter((r) => copy.isCandidate(r));
  for (const r of late) copy.insert(r);
  const top = copy.peek()!.row;
  assert.equal(copy.remove(top), true, 'the current head can be excluded');
  assert.equal(copy.remove(picks[3]!), false, 'a center cannot');
  const fresh = FpsEngine.create(kernel, (i) => i !== top, { tree: 'never' });
  for (const r of [...picks, ...late]) fresh.insert(r);
  for (let k = 0; k < 200; k++) assert.deepEqual(copy.pick(), fresh.pick(), `pick ${k}`);
  assert.equal(copy.coveringRadius(), fresh.coveringRadius());
  const again = FpsEngine.create(kernel, undefined, { tree: 'never' });
  for (let k = 0; k < 80; k++) again.pick();
  for (let k = 0; k < 50; k++) assert.deepEqual(engine.pick(), again.pick(), `original, pick ${k}`);
});
