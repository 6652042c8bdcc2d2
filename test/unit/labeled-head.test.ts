import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labeledHead } from '../../src/main/core/selection/labeled-head';

test('labeledHead counts a head labeled in any order, relabels included, and refuses anything else', () => {
  const order = [7, 3, 9, 1];
  const set = (sampleId: number) => ({ sampleId, angle: 10 });
  assert.equal(labeledHead(order, []), 0);
  assert.equal(labeledHead(order, [set(3), set(7), set(3)]), 2);
  assert.equal(labeledHead(order, [set(7), set(9)]), null, 'a gap: 3 is still queued before 9');
  assert.equal(labeledHead(order, [set(7), { sampleId: 7, angle: null }]), null, 'an undo or a clear');
  assert.equal(labeledHead(order, [set(7), set(3), set(9), set(1), set(5)]), null, 'more labels than the order holds');
});
