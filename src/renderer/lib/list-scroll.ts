/**
 * Browsers cap how tall an element may be (Chromium near 33.5 million px,
 * Firefox near 17.9 million), and a list taller than the cap cannot be
 * scrolled to its end: a million 56 px queue rows would need 56 million. A
 * virtual list taller than this scrolls scaled instead: its scroll range is
 * this tall, and one pixel of scrolling moves further down the rows.
 */
export const MAX_LIST_HEIGHT = 8_000_000;

/** How a virtual list of `total` rows of `rowHeight` px maps its scroll position to rows and back. */
export interface ListScroll {
  /** Height of the element that gives the scroller its range (px). */
  height: number;
  /** The row (fractional) at the top of the view when scrolled to `scrollTop`. */
  rowAt(scrollTop: number): number;
  /** Where row `index` is drawn within the scrolled content (px from its top) when scrolled to `scrollTop`. */
  rowTop(index: number, scrollTop: number): number;
  /** The scroll position that puts row `index` at the top of the view (as far as the range allows). */
  scrollTopFor(index: number): number;
}

export function listScroll(total: number, rowHeight: number, viewHeight: number, maxHeight = MAX_LIST_HEIGHT): ListScroll {
  const content = Math.max(0, total) * rowHeight;
  if (content <= maxHeight) {
    return {
      height: content,
      rowAt: (scrollTop) => scrollTop / rowHeight,
      rowTop: (index) => index * rowHeight,
      scrollTopFor: (index) => Math.max(0, Math.min(index * rowHeight, content - viewHeight)),
    };
  }
  // The scroll range [0, maxHeight - view] covers the content's [0, content - view]: the top of the view at scrollTop
  // shows the content from scrollTop × scale, so the first and the last rows are both reachable.
  const range = Math.max(1, maxHeight - viewHeight);
  const scale = Math.max(0, content - viewHeight) / range;
  const contentTop = (scrollTop: number) => Math.max(0, Math.min(scrollTop, range)) * scale;
  return {
    height: maxHeight,
    rowAt: (scrollTop) => contentTop(scrollTop) / rowHeight,
    rowTop: (index, scrollTop) => scrollTop + index * rowHeight - contentTop(scrollTop),
    scrollTopFor: (index) => Math.max(0, Math.min(range, (index * rowHeight) / scale)),
  };
}
