import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { createKernel } from '../../src/main/core/selection/kernel-factory';
import { QueueState } from '../../src/main/core/selection/queue-state';
import { seededPermutation } from '../../src/main/core/selection/random-order';

function clustered(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const centers = Array.from({ length: 8 }, () => Array.from({ length: dim }, () => gaussian(random) * 5));
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centers[Math.floor(random() * centers.length)]!;
    for (let k = 0; k < dim; k++) x[i * dim + k] = c[k]! + gaussian(random);
  }
  // A few exact duplicates, so ties are exercised.
  for (let i = 0; i < n / 20; i++) x.copyWithin((n - 1 - i) * dim, i * dim, (i + 1) * dim);
  return x;
}

/** What a fresh computation says the FPS queue is, given the flags the state was driven to. */
function freshFps(x: Float32Array, dim: number, pool: boolean[], labeled: boolean[], skipped: number[]) {
  const seeds = [...pool.keys()].filter((r) => pool[r] && (labeled[r] || skipped.includes(r)));
  const exclude = [...pool.keys()].filter((r) => !pool[r]);
  const { order, novelty } = furthestPointOrder(x, dim, { seeds, exclude, kernel: 'typescript' });
  const tail = skipped.filter((r) => pool[r] && !labeled[r]);
  return { rows: [...order, ...tail], novelty: [...novelty] };
}

test('every incremental update of the live queue equals a fresh computation', () => {
  const n = 400;
  const dim = 6;
  const x = clustered(n, dim, 5);
  const kernel = createKernel(n, dim);
  kernel.vectors.set(x);
  const pool = new Array<boolean>(n).fill(true);
  const labeled = new Array<boolean>(n).fill(false);
  const skipped: number[] = [];
  for (const r of [3, 50, 51]) pool[r] = false;
  for (const r of [10, 200]) labeled[r] = true;
  const state = new QueueState(kernel, {
    inPool: Uint8Array.from(pool, Number),
    labeled: Uint8Array.from(labeled, Number),
    randomOrder: seededPermutation(n, 1),
  });
  const random = seededRandom(77);
  const events: string[] = [];
  let restartsBefore = state.counters.restarts;
  for (let step = 0; step < 60; step++) {
    const head = state.entries('fps', 0, 1)[0]!.row;
    const any = Math.floor(random() * n);
    const roll = random();
    if (roll < 0.35) {
      state.label(head);
      labeled[head] = true;
      events.push(`label head ${head}`);
      assert.equal(state.counters.restarts, restartsBefore, 'labeling the head must not recompute');
    } else if (roll < 0.45) {
      state.skip(head);
      skipped.push(head);
      events.push(`skip head ${head}`);
      assert.equal(state.counters.restarts, restartsBefore, 'skipping the head must not recompute');
    } else if (roll < 0.6 && pool[any] && !labeled[any]) {
      state.label(any);
      labeled[any] = true;
      events.push(`label ${any}`);
    } else if (roll < 0.68 && pool[any] && !labeled[any] && !skipped.includes(any)) {
      state.skip(any);
      skipped.push(any);
      events.push(`skip ${any}`);
    } else if (roll < 0.78) {
      state.exclude(any);
      pool[any] = false;
      events.push(`exclude ${any}`);
    } else if (roll < 0.85) {
      state.restore(any);
      pool[any] = true;
      events.push(`restore ${any}`);
    } else if (roll < 0.93) {
      state.unlabel(any);
      labeled[any] = false;
      events.push(`unlabel ${any}`);
    } else {
      state.clearSkips();
      skipped.length = 0;
      events.push('clear skips');
    }
    // Labeling a skipped sample takes it out of the skipped tail.
    for (let i = skipped.length - 1; i >= 0; i--) if (labeled[skipped[i]!] || !pool[skipped[i]!]) skipped.splice(i, 1);
    restartsBefore = state.counters.restarts;

    const expected = freshFps(x, dim, pool, labeled, skipped);
    // Check a head page (the common case) and, every few steps, the whole queue.
    const size = step % 10 === 9 ? expected.rows.length : 25;
    const got = state.entries('fps', 0, size);
    assert.deepEqual(got.map((e) => e.row), expected.rows.slice(0, size), `rows after: ${events.join(', ')}`);
    const fpsPart = got.filter((e) => !e.skipped);
    assert.deepEqual(fpsPart.map((e) => e.novelty), expected.novelty.slice(0, fpsPart.length), `novelty after: ${events.join(', ')}`);
    assert.equal(state.total, pool.filter((p, r) => p && !labeled[r]).length);
    restartsBefore = state.counters.restarts;
  }
  assert.ok(events.some((e) => e.startsWith('label head')) && events.some((e) => e.startsWith('exclude')) && events.some((e) => e.startsWith('skip ')));
});

test('the random queue is the seeded permutation of unlabeled pool rows, skipped rows last, with novelties', () => {
  const n = 200;
  const dim = 4;
  const x = clustered(n, dim, 9);
  const kernel = createKernel(n, dim);
  kernel.vectors.set(x);
  const permutation = seededPermutation(n, 42);
  assert.deepEqual([...permutation], [...seededPermutation(n, 42)], 'same seed, same order');
  assert.notDeepEqual([...permutation], [...seededPermutation(n, 43)]);
  assert.deepEqual([...permutation].sort((a, b) => a - b), [...Array(n).keys()]);
  const labeled = new Uint8Array(n);
  labeled[permutation[0]!] = 1;
  const state = new QueueState(kernel, { inPool: new Uint8Array(n).fill(1), labeled, randomOrder: permutation });
  state.skip(permutation[1]!);
  const page = state.entries('random', 0, n);
  const expectedRows = [...permutation].filter((r) => r !== permutation[0] && r !== permutation[1]).concat([permutation[1]!]);
  assert.deepEqual(page.map((e) => e.row), expectedRows);
  assert.equal(page.at(-1)!.skipped, true);
  // Novelty of entry k: distance to the labeled and skipped rows and every earlier entry.
  const centers = [permutation[0]!, permutation[1]!];
  for (const entry of page.slice(0, 30)) {
    const nearest = Math.min(...centers.map((c) => Math.sqrt(kernel.squaredDistance(entry.row, c))));
    assert.equal(entry.novelty, nearest);
    centers.push(entry.row);
  }
});

test('targeted changes inside the computed head each match a fresh computation', () => {
  const n = 300;
  const dim = 5;
  const x = clustered(n, dim, 21);
  const kernel = createKernel(n, dim);
  kernel.vectors.set(x);
  const pool = new Array<boolean>(n).fill(true);
  const labeled = new Array<boolean>(n).fill(false);
  const skipped: number[] = [];
  const state = new QueueState(kernel, { inPool: new Uint8Array(n).fill(1), labeled: new Uint8Array(n), randomOrder: seededPermutation(n, 1) });
  const at = (k: number) => state.entries('fps', 0, k + 1)[k]!.row;
  const steps: [string, () => void][] = [
    ['exclude entry 2', () => { const r = at(2); state.exclude(r); pool[r] = false; }],
    ['label entry 5', () => { const r = at(5); state.label(r); labeled[r] = true; }],
    ['skip entry 3', () => { const r = at(3); state.skip(r); skipped.push(r); }],
    ['label the head', () => { const r = at(0); state.label(r); labeled[r] = true; }],
    ['exclude a labeled sample', () => { const r = labeled.indexOf(true); state.exclude(r); pool[r] = false; }],
    ['restore it', () => { const r = pool.indexOf(false, 0); state.restore(r); pool[r] = true; }],
    ['unlabel a sample', () => { const r = labeled.indexOf(true); state.unlabel(r); labeled[r] = false; }],
    ['label the skipped sample', () => { const r = skipped[0]!; state.label(r); labeled[r] = true; skipped.length = 0; }],
    ['exclude a sample far down the queue', () => { const r = at(250); state.exclude(r); pool[r] = false; }],
  ];
  for (const [name, run] of steps) {
    run();
    const expected = freshFps(x, dim, pool, labeled, skipped);
    const got = state.entries('fps', 0, n);
    assert.deepEqual(got.map((e) => e.row), expected.rows, `rows after '${name}'`);
    assert.deepEqual(got.filter((e) => !e.skipped).map((e) => e.novelty), expected.novelty, `novelty after '${name}'`);
  }
});

test('a queue state settled in slices, with or without a pruning tree (a large pool reopened on the server), gives the same orders as one settled at once, and every slice yields', () => {
  for (const [n, dim, labels] of [[3_000, 8, 90], [2_000, 32, 40]] as const) {
    const x = clustered(n, dim, 9);
    const labeled = new Uint8Array(n);
    for (let k = 0; k < labels; k++) labeled[(k * 7919) % n] = 1;
    const options = { inPool: new Uint8Array(n).fill(1), labeled, randomOrder: seededPermutation(n, 1) };
    const make = () => {
      const kernel = createKernel(n, dim);
      kernel.vectors.set(x);
      return kernel;
    };
    const atOnce = new QueueState(make(), options);
    const sliced = new QueueState(make(), { ...options, deferSettle: true });
    let yields = 0;
    for (const _ of sliced.settleSteps(16)) yields++;
    assert.equal(yields, Math.floor(labels / 16), `${n} × ${dim}: one pause per 16 labeled centers`);
    // As a server builds a large pool's state: no pruning tree, streamed passes only.
    const streamed = new QueueState(make(), { ...options, deferSettle: true, fpsTree: 'never' });
    for (const _ of streamed.settleSteps(16)) continue;
    for (const strategy of ['fps', 'random'] as const) {
      assert.deepEqual(sliced.entries(strategy, 0, 300), atOnce.entries(strategy, 0, 300), `${n} × ${dim}: ${strategy}`);
      assert.deepEqual(streamed.entries(strategy, 0, 300), atOnce.entries(strategy, 0, 300), `${n} × ${dim}: ${strategy} without a tree`);
    }
    // Labels after the build: the streamed state follows them as the other does.
    for (const row of [5, 17, 1_200]) {
      atOnce.label(row);
      streamed.label(row);
    }
    assert.deepEqual(streamed.entries('fps', 0, 100), atOnce.entries('fps', 0, 100), `${n} × ${dim}: fps after labels, without a tree`);
  }
});
