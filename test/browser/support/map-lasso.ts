import type { Locator, Page } from 'playwright-core';

export interface LassoResult {
  /** The scatter canvas's box in page pixels (to tell which drawn points fell inside). */
  box: { x: number; y: number; width: number; height: number };
  /** The selection bar the lasso opened. */
  bar: Locator;
  /** How many points the bar says are selected. */
  selected: number;
}

/**
 * Drags the map's lasso (the lasso tool must be on) around the rectangle
 * x0..x1 × y0..y1, in fractions of the scatter canvas, and waits for the
 * selection bar. The drag closes just below its start, as a hand would.
 */
export async function lassoRectangle(page: Page, rect: { x0: number; x1: number; y0: number; y1: number }): Promise<LassoResult> {
  const box = (await page.locator('[data-testid=scatter-canvas]').boundingBox())!;
  const { x0, x1, y0, y1 } = rect;
  const corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0 + 0.01]] as const;
  await page.mouse.move(box.x + box.width * corners[0][0], box.y + box.height * corners[0][1]);
  await page.mouse.down();
  for (const [fx, fy] of corners.slice(1)) await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 3 });
  await page.mouse.up();
  const bar = page.locator('[data-testid=lasso-bar]');
  await bar.waitFor();
  const selected = Number((await bar.locator('strong').innerText()).replace(/\D/g, ''));
  return { box, bar, selected };
}
