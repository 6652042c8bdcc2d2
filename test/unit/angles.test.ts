import assert from 'node:assert/strict';
import { test } from 'node:test';
import { angleFromVector, angularDifference, normalizeAngle, vectorFromAngle } from '../../src/shared/angles';

test('angles wrap into [0, 360) and [0, 180)', () => {
  assert.equal(normalizeAngle(370), 10);
  assert.equal(normalizeAngle(-10), 350);
  assert.equal(normalizeAngle(360), 0);
  assert.equal(normalizeAngle(190, 'axial'), 10);
  assert.equal(normalizeAngle(-0), 0);
});

test('angular difference goes the short way round', () => {
  assert.equal(angularDifference(359, 1), 2);
  assert.equal(angularDifference(10, 350), 20);
  assert.equal(angularDifference(0, 180), 180);
  assert.equal(angularDifference(179, 1, 'axial'), 2);
  assert.equal(angularDifference(0, 90, 'axial'), 90);
});

test('(cos, sin) encoding round-trips, doubled for axial data', () => {
  for (const deg of [0, 45, 179.5, 270, 359]) {
    const [c, s] = vectorFromAngle(deg);
    assert.ok(Math.abs(angleFromVector(c, s) - deg) < 1e-9);
  }
  const [c, s] = vectorFromAngle(170, 'axial');
  assert.ok(Math.abs(angleFromVector(c, s, 'axial') - 170) < 1e-9);
  // 10° and 190° are the same axis.
  const [c2, s2] = vectorFromAngle(190, 'axial');
  assert.ok(Math.abs(angleFromVector(c2, s2, 'axial') - 10) < 1e-9);
});
