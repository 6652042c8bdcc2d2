import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyKeyFor } from '../../src/renderer/lib/history-keys';

const key = (k: string, mods: { shift?: boolean; ctrl?: boolean; meta?: boolean; alt?: boolean } = {}) =>
  historyKeyFor({ key: k, shiftKey: !!mods.shift, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, altKey: !!mods.alt });

test('undo and redo keys outside Annotate: Backspace, Ctrl/Cmd+Z, Ctrl+Y; other keys and Alt do nothing', () => {
  assert.equal(key('Backspace'), 'undo');
  assert.equal(key('Backspace', { shift: true }), 'redo');
  assert.equal(key('z', { ctrl: true }), 'undo');
  assert.equal(key('Z', { ctrl: true, shift: true }), 'redo');
  assert.equal(key('z', { meta: true }), 'undo');
  assert.equal(key('y', { ctrl: true }), 'redo');
  assert.equal(key('z'), null, 'a plain Z is no undo');
  assert.equal(key('Backspace', { ctrl: true }), null, 'Ctrl+Backspace deletes a word elsewhere');
  assert.equal(key('z', { ctrl: true, alt: true }), null);
  assert.equal(key('Enter'), null);
});
