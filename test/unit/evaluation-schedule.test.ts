import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regressorSteps } from '../../src/main/stages/evaluate/regressor/training-schedule';

test('the regressor trains for the given passes over its images, never fewer than the minimum steps', () => {
  const schedule = { minSteps: 100, epochs: 30, batchSize: 32 };
  // 25 images fit in one batch: 30 passes are 30 steps, so the floor decides.
  assert.equal(regressorSteps(25, schedule), 100);
  // 100 images are 4 batches (the last one short): 30 passes are 120 steps.
  assert.equal(regressorSteps(100, schedule), 120);
  // 400 images are 13 batches: 390 steps.
  assert.equal(regressorSteps(400, schedule), 390);
  assert.equal(regressorSteps(400, { ...schedule, epochs: 0 }), 100, 'epochs 0: exactly the minimum steps, whatever the budget');
  assert.equal(regressorSteps(64, { minSteps: 1, epochs: 2.5, batchSize: 32 }), 5, 'fractional passes round up to whole steps');
  assert.equal(regressorSteps(3, { minSteps: 1, epochs: 10, batchSize: 32 }), 10, 'a batch never exceeds the images');
});
