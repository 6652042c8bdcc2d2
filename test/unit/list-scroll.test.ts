import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listScroll, MAX_LIST_HEIGHT } from '../../src/renderer/lib/list-scroll';

const ROW = 56;
const VIEW = 600;

test('a list that fits scrolls a pixel per pixel, rows where their index puts them', () => {
  const scroll = listScroll(10_000, ROW, VIEW);
  assert.equal(scroll.height, 10_000 * ROW);
  assert.equal(scroll.rowAt(ROW * 123), 123);
  assert.equal(scroll.rowTop(500, 12_345), 500 * ROW);
  assert.equal(scroll.scrollTopFor(123), 123 * ROW);
  assert.equal(scroll.scrollTopFor(9_999), 10_000 * ROW - VIEW, 'the last row ends at the bottom of the view');
});

/**
 * A million queue rows are 56 million px: past the height a browser lets an
 * element be (Chromium's cap is near 33.5 million), so rows past about
 * 600,000 could not be scrolled to. The scaled list stays within
 * MAX_LIST_HEIGHT and still reaches every row, the last one included.
 */
test('a million rows scroll scaled within the height a browser allows, and every rank is reachable', () => {
  const total = 1_000_000;
  const scroll = listScroll(total, ROW, VIEW);
  assert.ok(scroll.height <= MAX_LIST_HEIGHT && MAX_LIST_HEIGHT < 17_000_000, `list height ${scroll.height}`);
  const range = scroll.height - VIEW;
  for (const index of [0, 1, 49_999, 599_999, 750_000, total - 20]) {
    const top = scroll.scrollTopFor(index);
    assert.ok(top >= 0 && top <= range, `rank ${index + 1}: scrollTop ${top} outside [0, ${range}]`);
    // The row asked for is at the top of the view, within a pixel's worth of rows (scroll positions are whole pixels in some browsers).
    const shown = scroll.rowAt(Math.round(top));
    assert.ok(Math.abs(shown - index) <= 1, `rank ${index + 1}: the view shows row ${shown}`);
    // Drawn where the view is: the row's top lies within the view.
    const y = scroll.rowTop(index, Math.round(top)) - Math.round(top);
    assert.ok(y > -ROW && y < VIEW, `rank ${index + 1} drawn ${y} px from the view's top`);
  }
  // Scrolled to the end, the last row ends at the view's bottom.
  const last = scroll.rowTop(total - 1, range) - range;
  assert.ok(Math.abs(last + ROW - VIEW) < 1e-6, `the last row ends ${last + ROW} px down a ${VIEW} px view`);
  // Neighbouring rows stay a row apart on screen.
  assert.ok(Math.abs(scroll.rowTop(1_001, 12_345) - scroll.rowTop(1_000, 12_345) - ROW) < 1e-9);
});
