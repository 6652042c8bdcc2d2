import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { createKernel } from '../../src/main/core/selection/kernel-factory';
import { QueueState } from '../../src/main/core/selection/queue-state';
import { seededPermutation } from '../../src/main/core/selection/random-order';

const N = 400;
const DIM = 6;

function points(): Float32Array {
  const random = seededRandom(9);
  const x = new Float32Array(N * DIM);
  for (let i = 0; i < N; i++) for (let k = 0; k < DIM; k++) x[i * DIM + k] = gaussian(random) * (1 + (i % 4));
  return x;
}

const x = points();

function freshState(): QueueState {
  const kernel = createKernel(N, DIM);
  kernel.vectors.set(x);
  return new QueueState(kernel, { inPool: new Uint8Array(N).fill(1), labeled: new Uint8Array(N), randomOrder: seededPermutation(N, 1) });
}

/** The exact FPS queue with these rows as centers (labeled or skipped), skipped rows last. */
function exact(centers: number[] = [], skipped: number[] = []): number[] {
  return [...furthestPointOrder(x, DIM, { seeds: centers, kernel: 'typescript' }).order, ...skipped];
}

function rows(state: QueueState, count: number): number[] {
  return state.entries('fps', 0, count).map((e) => e.row);
}

/** The queue job's stored order, as the live state adopts it (its head only: the job stores longer prefixes as it goes). */
function adoptHead(state: QueueState, order: number[], length: number): boolean {
  const { novelty } = furthestPointOrder(x, DIM, { kernel: 'typescript' });
  return state.adoptFps(order.slice(0, length), Array.from(novelty.subarray(0, length)));
}

test('a page beyond an adopted order after its head was labeled is computed, not left empty', () => {
  const state = freshState();
  rows(state, 3);
  const order = exact();
  assert.ok(adoptHead(state, order, 100));
  state.label(order[0]!);
  const page = rows(state, 250);
  assert.equal(page.length, 250);
  assert.deepEqual(page, exact([order[0]!]).slice(0, 250));
});

test('a page beyond an adopted order after its head was skipped is computed, skipped row last', () => {
  const state = freshState();
  const order = exact();
  assert.ok(adoptHead(state, order, 100));
  state.skip(order[0]!);
  assert.deepEqual(rows(state, N), exact([order[0]!], [order[0]!]));
});

test('an order stored after the head was labeled here is adopted, and continued exactly', () => {
  const state = freshState();
  const order = exact();
  rows(state, 5);
  state.label(order[0]!);
  // The queue job computed it for the labeled state: it starts at the second pick.
  const job = exact([order[0]!]);
  assert.ok(state.adoptFps(job.slice(0, 120), job.slice(0, 120).map(() => 1)), 'the job order is adopted although the cursor moved');
  assert.deepEqual(rows(state, 300), job.slice(0, 300));
});
