import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { proposeThreshold } from '../../src/main/core/duplicates/threshold';
import { labelsToReach } from '../../src/main/stages/evaluate/labels-saved';
import { chooseSplit } from '../../src/main/stages/evaluate/learning-curves';
import { nearestNeighbourDistances } from '../../src/main/core/evaluation/near-duplicates';
import { makePoints } from '../../src/main/core/evaluation/points';
import { strategyOrder } from '../../src/main/core/strategies/registry';
import { createKernel } from '../../src/main/core/selection/kernel-factory';
import { QueueState } from '../../src/main/core/selection/queue-state';
import { seededPermutation } from '../../src/main/core/selection/random-order';
import type { EvaluationSettings } from '../../src/shared/domain';
import { formatRate } from '../../src/shared/progress-rate';

function cloud(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) x[i * dim + k] = gaussian(random) * (1 + (i % 4));
  return x;
}

test("evaluate's typiclust order is the queue's: batches of the project's size, whatever the budgets", () => {
  const n = 200;
  const dim = 3;
  const x = cloud(n, dim, 3);
  const kernel = createKernel(n, dim);
  kernel.vectors.set(x);
  const seed = 17;
  const state = new QueueState(kernel, {
    inPool: new Uint8Array(n).fill(1),
    labeled: new Uint8Array(n),
    randomOrder: seededPermutation(n, 1),
    typiclust: { batchSize: 7, seed, stored: () => null, save: () => undefined },
  });
  // The queue shows its current batch and two predicted ones: 21 entries of TypiClust.
  const queue = state.entries('typiclust', 0, 21).map((e) => e.row);
  const evaluated = strategyOrder('typiclust', makePoints(x, dim), { limit: 21, budgets: [5, 21], typiclustBatch: 7, seed });
  assert.deepEqual(evaluated, queue);
});

test('labels saved interpolate between budgets', () => {
  const curve = [
    { budget: 50, error: 30 },
    { budget: 100, error: 20 },
    { budget: 200, error: 10 },
  ];
  assert.equal(labelsToReach(curve, 15), 150, 'halfway between 100 and 200');
  assert.equal(labelsToReach(curve, 12), 180, 'reached only at the largest budget, yet 20 labels before it');
  assert.equal(labelsToReach(curve, 10), 200);
  assert.equal(labelsToReach(curve, 40), 50, 'already below at the first budget');
  assert.equal(labelsToReach(curve, 5), null);
  assert.equal(labelsToReach([{ budget: 25, error: 40 }, { budget: 50, error: 39.99 }], 39.995), 38, 'rounded up to whole labels');
});

test('progress rates read per second, per minute or per hour', () => {
  assert.equal(formatRate(2.5, 'models'), '2.5 models/s');
  assert.equal(formatRate(40, 'images'), '40 images/s');
  assert.equal(formatRate(0.05, 'models'), '3.0 models/min');
  assert.equal(formatRate(0.001, 'models'), '3.6 models/h');
  assert.equal(formatRate(0, 'models'), '');
});

test("the grouped split's default threshold is the duplicate review's rule, or the one it is given", () => {
  // Eight samples each with two near-copies, and 24 distinct ones (the bulk the rule measures against).
  const random = seededRandom(5);
  const values: number[] = [];
  for (let i = 0; i < 8; i++) {
    const base = [gaussian(random) * 10, gaussian(random) * 10];
    for (let c = 0; c < 3; c++) values.push(base[0]! + gaussian(random) * 0.01, base[1]! + gaussian(random) * 0.01);
  }
  for (let i = 0; i < 24; i++) values.push(gaussian(random) * 10, gaussian(random) * 10);
  const points = makePoints(new Float32Array(values), 2);
  const input = { points, angles: new Float64Array(points.count), mode: 'full' as const, groups: new Array<number>(points.count).fill(0) };
  const settings = { split: 'grouped', testFraction: 0.25, seed: 1, duplicateThreshold: null } as unknown as EvaluationSettings;
  const proposed = proposeThreshold(nearestNeighbourDistances(points));
  const { kept } = chooseSplit(input, settings);
  assert.equal(kept!.threshold, proposed);
  assert.equal(kept!.count, 8 + 24, 'each family of three one cluster, the distinct samples alone');
  assert.equal(chooseSplit(input, settings, () => 1e-6).kept!.threshold, 1e-6);
  assert.equal(chooseSplit(input, settings, () => null).kept!.threshold, proposed, 'no project threshold: the same rule on these points');

  // Known groups (a column naming each image's item) win over the latent space: with a threshold that joins nothing,
  // the latent rule splits families across test and pool, the column never does.
  const family = Int32Array.from({ length: points.count }, (_, r) => (r < 24 ? Math.floor(r / 3) : r));
  const straddling = (split: { test: number[] }) => {
    const inTest = new Set(split.test);
    return new Set([...family.keys()].filter((r) => r < 24 && inTest.has(r) !== inTest.has(family[r]! * 3))).size;
  };
  const tiny = { ...settings, duplicateThreshold: 1e-9 } as EvaluationSettings;
  let latentStraddles = 0;
  for (let seed = 1; seed <= 10; seed++) {
    latentStraddles += straddling(chooseSplit(input, { ...tiny, seed }).split);
    const byColumn = chooseSplit(input, { ...tiny, seed }, undefined, { group: family, from: "column 'item'" });
    assert.equal(straddling(byColumn.split), 0, `seed ${seed}: an item split across test and pool`);
    assert.deepEqual(byColumn.kept, { count: 8 + 24, largest: 3, threshold: null, from: "column 'item'", tooLarge: { groups: 0, rows: 0 } });
  }
  assert.ok(latentStraddles > 0, 'the latent rule at a tiny threshold does split families (else this test proves nothing)');
});
