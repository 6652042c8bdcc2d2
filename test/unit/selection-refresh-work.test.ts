import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { createKernel } from '../../src/main/core/selection/kernel-factory';
import { QueueState } from '../../src/main/core/selection/queue-state';
import { seededPermutation } from '../../src/main/core/selection/random-order';

/**
 * A label out of queue order restarts the FPS order from base (the labeled
 * rows as centers). The new center's distances are applied to base once, as
 * far as the next pick needs them, so the restarted order's head costs next
 * to nothing: before, base only queued its centers, and every restart's
 * first pick applied all of them again (and built its own pruning tree),
 * work that grew with every label and ran on the server's thread after each
 * save. Uniform data: the pruning skips nothing, the worst case.
 */
test('the head after an out-of-order label is ready without re-applying earlier labels (work per refresh does not grow)', () => {
  const n = 6000;
  const dim = 16;
  const random = seededRandom(31);
  const x = Float32Array.from({ length: n * dim }, () => random() * 2 - 1);
  const kernel = createKernel(n, dim);
  kernel.vectors.set(x);
  const labeled = new Uint8Array(n);
  const state = new QueueState(kernel, { inPool: new Uint8Array(n).fill(1), labeled, randomOrder: seededPermutation(n, 1) });
  const rows: number[] = [];
  for (let k = 0; k < 60; k++) {
    let row = Math.floor(random() * n);
    while (labeled[row]) row = (row + 1) % n;
    labeled[row] = 1;
    rows.push(row);
    state.label(row);
    const head = state.entries('fps', 0, 1)[0]!;
    const { order, base } = state.fpsWork;
    // Taking the head inserts it (at most one pass over the rows, for the next pick); nothing of the earlier labels.
    assert.ok(order - base < 2 * n, `label ${k + 1}: the restarted order evaluated ${order - base} distances for its head (${n} rows)`);
    if (k % 20 === 19) {
      // Still exact: the head is the brute-force order's first pick from every label.
      const exact = furthestPointOrder(x, dim, { seeds: rows, kernel: 'typescript' });
      assert.equal(head.row, exact.order[0]);
      assert.equal(head.novelty, exact.novelty[0]);
    }
  }
});

/**
 * Labels that take the queue's head leave the base (the labeled rows only,
 * behind the coverage curve) to be synced later, one streamed pass each: the
 * server syncs it a few insertions per step, so fifty labels at a million
 * rows are not one long task. In steps or at once, the base is the same.
 */
test('the base is synced a few insertions per step, to the same base as at once', () => {
  const n = 3000;
  const dim = 8;
  const random = seededRandom(32);
  const kernel = createKernel(n, dim);
  kernel.vectors.set(Float32Array.from({ length: n * dim }, () => random() * 2 - 1));
  const state = new QueueState(kernel, { inPool: new Uint8Array(n).fill(1), labeled: new Uint8Array(n), randomOrder: seededPermutation(n, 1) });
  const labels: number[] = [];
  for (let k = 0; k < 10; k++) {
    const head = state.entries('fps', 0, 1)[0]!.row;
    state.label(head);
    labels.push(head);
  }
  const before = state.fpsWork.base;
  const steps = state.syncBaseSteps(3);
  let yields = 0;
  while (!steps.next().done) {
    yields++;
    assert.ok(state.fpsWork.base - before <= 3 * yields * n + n, `step ${yields}: more than 3 insertions' work`);
  }
  assert.equal(yields, 3, '10 insertions, 3 per step');
  const labeled = new Uint8Array(n);
  for (const row of labels) labeled[row] = 1;
  const fresh = new QueueState(kernel, { inPool: new Uint8Array(n).fill(1), labeled, randomOrder: seededPermutation(n, 1) });
  assert.deepEqual(state.baseEngine.clone().pick(), fresh.baseEngine.clone().pick());
  assert.equal(state.baseEngine.coveringRadius(), fresh.baseEngine.coveringRadius());
});
