import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Conflict } from '../../src/shared/label-exchange';
import { adjudicateActionFor } from '../../src/renderer/lib/adjudication-keys';
import type { KeyPress } from '../../src/renderer/lib/history-keys';
import { neighbourConflict, nextOpenConflict, WalkChanges } from '../../src/renderer/lib/adjudication-walk';
import { defaultPackPath } from '../../src/renderer/lib/label-pack-path';

const conflict = (sampleId: number, adjudicated: boolean): Conflict => ({
  sampleId,
  path: `/x/${sampleId}.png`,
  contentHash: String(sampleId),
  maxDifference: 20,
  labels: [],
  adjudicated: adjudicated ? { annotationId: sampleId * 10, angle: 1, author: 'e', at: 'now' } : null,
});

test('the walk goes to the next open conflict, wrapping round, skipping those adjudicated meanwhile', () => {
  const list = [conflict(5, false), conflict(2, true), conflict(9, false), conflict(4, false)];
  assert.equal(nextOpenConflict(list, 5), 9);
  assert.equal(nextOpenConflict(list, 9), 4);
  assert.equal(nextOpenConflict(list, 4), 5, 'wraps round');
  const changes = new WalkChanges();
  changes.adjudicated(9);
  assert.equal(nextOpenConflict(list, 5, (c) => changes.isOpen(c)), 4, 'one adjudicated since the list was fetched is skipped');
  changes.adjudicated(4);
  assert.equal(nextOpenConflict(list, 5, (c) => changes.isOpen(c)), null, 'none open but the current one');
  changes.undid(2);
  assert.equal(nextOpenConflict(list, 5, (c) => changes.isOpen(c)), 2, 'an undone adjudication is open again, whatever the fetched list says');
  assert.equal(changes.adjudicationOf(list[1]!), null);
  assert.deepEqual(changes.adjudicationOf(list[0]!), null);
  assert.equal(nextOpenConflict([], 5), null);
  assert.equal(neighbourConflict(list, 2, 1), 9);
  assert.equal(neighbourConflict(list, 5, -1), null);
  assert.equal(neighbourConflict(list, 77, 1), 5, 'a sample not in the list starts at the first');
});

test("adjudication keys: digits take an annotator's angle, Enter accepts, Ctrl+Z and Backspace undo, Alt is the shell's", () => {
  const key = (k: string, mods: Partial<KeyPress> = {}) => adjudicateActionFor({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  assert.deepEqual(key('1'), { kind: 'choose', index: 0 });
  assert.deepEqual(key('9'), { kind: 'choose', index: 8 });
  assert.equal(key('0'), null);
  assert.equal(key('2', { altKey: true }), null);
  assert.deepEqual(key('Enter'), { kind: 'accept' });
  assert.deepEqual(key('ArrowRight', { shiftKey: true }), { kind: 'nudge', delta: 10 });
  assert.deepEqual(key('z', { ctrlKey: true }), { kind: 'undo' });
  assert.deepEqual(key('Backspace'), { kind: 'undo' });
  assert.equal(key('z'), null);
  assert.deepEqual(key('Escape'), { kind: 'close' });
});

test('the default pack file sits beside the project', () => {
  assert.equal(defaultPackPath('/data/line3.farpoint'), '/data/line3-labels.json');
  assert.equal(defaultPackPath('C:\\sites\\A.FARPOINT'), 'C:\\sites\\A-labels.json');
  assert.equal(defaultPackPath(undefined), '');
});
