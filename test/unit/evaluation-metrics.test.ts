import assert from 'node:assert/strict';
import { test } from 'node:test';
import { angularErrors, balancedMeanError, median, standardDeviation, summarizeErrors } from '../../src/main/core/evaluation/circular-metrics';

test('angular errors wrap around 0°/360°: 359° against 1° is 2°, 10° against 350° is 20°', () => {
  const errors = angularErrors([359, 10, 180, 90, -5], [1, 350, 0, 90, 355], 'full');
  assert.deepEqual(Array.from(errors), [2, 20, 180, 0, 0]);
  const s = summarizeErrors(errors);
  assert.equal(s.count, 5);
  assert.equal(s.mean, 202 / 5);
  assert.equal(s.median, 2);
  assert.equal(s.within5, 3 / 5);
  assert.equal(s.within10, 3 / 5);
});

test('axial errors live on the half circle: 179° against 1° is 2°, 90° against 0° is the worst (90°)', () => {
  const errors = angularErrors([179, 170, 90, 200], [1, 10, 0, 20], 'axial');
  assert.deepEqual(Array.from(errors), [2, 20, 90, 0]);
  const s = summarizeErrors(errors);
  assert.equal(s.mean, 28);
  assert.equal(s.median, 11);
  assert.equal(s.within5, 0.5);
  assert.equal(s.within10, 0.5);
});

test('the share within 5° and 10° counts the boundary as within', () => {
  const s = summarizeErrors([5, 10, 10.0001]);
  assert.equal(s.within5, 1 / 3);
  assert.equal(s.within10, 2 / 3);
});

test('balanced error averages each group’s mean, so a rare group weighs as much as a common one', () => {
  // Group a: errors 2 and 20 → 11; group b: 180; group c: 0.
  assert.ok(Math.abs(balancedMeanError([2, 20, 180, 0], ['a', 'a', 'b', 'c']) - 191 / 3) < 1e-12);
  // Nine easy samples of one kind and one hard sample of another: plain mean 10, balanced 50.
  const errors = [...Array(9).fill(0), 100];
  const groups = [...Array(9).fill(1), 2];
  assert.equal(errors.reduce((a, b) => a + b, 0) / errors.length, 10);
  assert.equal(balancedMeanError(errors, groups), 50);
  assert.throws(() => balancedMeanError([1, 2], [1]), /2 errors for 1 group labels/);
});

test('median and standard deviation on small hand cases', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7));
  assert.equal(standardDeviation([42]), 0);
});
