import os from 'node:os';
import type { Browser, Page } from 'playwright-core';

/**
 * What the UI benchmarks measure in Chromium, shared by `npm run bench -- ui`
 * and the million bench's `ui` stage: a page on a running server, the
 * queue's first rows and a deep jump, the map's frame rates, and Enter to the
 * next image in Annotate. Type-checked with the DOM library (its functions
 * run in the page), so Node-only code loads it by a computed path.
 */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A 1280×800 page at `url` (a server's launch URL), its errors printed. */
export async function newPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // tsx compiles this file with keepNames: functions passed to page.evaluate call its __name helper.
  await page.addInitScript('globalThis.__name = (f) => f;');
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(url);
  return page;
}

/** Resolves once the queue shows rows with their data (a row knows its sample). */
export async function queueRowsShown(page: Page, timeoutMs = 300_000): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid=queue-row][data-sample-id]') !== null, undefined, { timeout: timeoutMs, polling: 'raf' });
}

/** From clicking the Queue tab to the first rows drawn with their data (milliseconds, measured in the page). */
export async function queueTabToRows(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const t0 = performance.now();
    (document.querySelector('[data-nav=queue]') as HTMLElement).click();
    await new Promise<void>((resolve) => {
      const done = () => document.querySelector('[data-testid=queue-row][data-sample-id]') !== null;
      if (done()) return resolve();
      const observer = new MutationObserver(() => {
        if (done()) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    // The frame that shows them.
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    return performance.now() - t0;
  });
}

/**
 * Goes to `rank` (1-based) by the Queue view's rank field, as a user at the
 * keyboard does, and times from the Enter until that rank's row shows its
 * data (within a protocol round trip of the key). A rank deeper than the
 * order computed so far waits for the queue job.
 */
export async function queueJumpToRank(page: Page, rank: number, timeoutMs = 300_000): Promise<number> {
  // The keyboard path: the rank typed in the Queue view's rank field, then Enter; timed from the Enter.
  await page.fill('[data-testid=queue-go-to]', String(rank));
  await page.press('[data-testid=queue-go-to]', 'Enter');
  return page.evaluate(
    async ({ rank, timeoutMs }) => {
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (document.querySelector(`[data-testid=queue-row][data-rank="${rank}"][data-sample-id]`)) resolve();
          else if (performance.now() - t0 > timeoutMs) reject(new Error(`rank ${rank} not shown within ${timeoutMs} ms`));
          else requestAnimationFrame(check);
        };
        check();
      });
      return performance.now() - t0;
    },
    { rank, timeoutMs },
  );
}

/** The queue's entries as its header says them ("20,000 to label": the number before the words, whatever the locale's digit grouping). */
export async function queueTotal(page: Page): Promise<{ total: number; text: string }> {
  const text = (await page.locator('[data-testid=queue-total]').innerText()).trim();
  return { total: Number(text.match(/^[\d\s,.\u00a0\u202f]+/)?.[0]?.replace(/\D/g, '') ?? 0), text };
}

/** Frames per second scrolling the queue continuously for 2 s. */
export async function queueScrollFps(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid=queue-scroller]') as HTMLElement;
    let frames = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const step = () => {
        scroller.scrollTop += 120;
        frames++;
        if (performance.now() - t0 < 2000) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    return frames / ((performance.now() - t0) / 1000);
  });
}

export interface MapGestureFigures {
  gesture: 'pan' | 'zoom';
  /** Frames the map drew per second, and frames the browser ran. */
  fps: number;
  browserFps: number;
  mainMs: number;
  mainP90Ms: number;
  drawMs: number;
  worstMs: number;
  /** CPU per drawn frame (ms): the page's main thread and its whole renderer process. */
  threadCpuPerFrame: number;
  processCpuPerFrame: number;
  /** Load average (1 min) when it ran. */
  load: number;
}

export interface MapOpening {
  /** Seconds from clicking the tab to the first frame, and to every point loaded (the map arrives in parts). */
  first: number;
  all: number;
  /** The longest main-thread task meanwhile (building the grid over the points loaded so far is one). */
  longestTaskMs: number;
}

/** Opens the Map tab and waits for its first drawing and for all `points` to be loaded. */
export async function openMap(page: Page, points: number): Promise<MapOpening> {
  await page.evaluate(() => {
    const w = window as unknown as { longestTaskMs: number; longTasks?: PerformanceObserver };
    w.longTasks?.disconnect();
    w.longestTaskMs = 0;
    w.longTasks = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longestTaskMs = Math.max(w.longestTaskMs, entry.duration);
    });
    w.longTasks.observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  await page.click('[data-nav=map]');
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0, undefined, {
    timeout: 300_000,
  });
  const first = (Date.now() - t0) / 1000;
  await page.waitForFunction(
    (count) => document.querySelector('[data-testid=map-loading]') === null && document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.points === String(count),
    points,
    { timeout: 300_000, polling: 50 },
  );
  const all = (Date.now() - t0) / 1000;
  const longestTaskMs = await page.evaluate(() => (window as unknown as { longestTaskMs: number }).longestTaskMs);
  return { first, all, longestTaskMs };
}

/** Leaves the Map tab (for opening it again with its projection stored). */
export async function leaveMap(page: Page): Promise<void> {
  await page.click('[data-nav=samples]');
  await page.waitForFunction(() => document.querySelector('[data-testid=scatter-canvas]') === null);
}

/** Pans (drag) and zooms (wheel) the open map, one input per frame for 3 s each, counting the frames actually drawn. */
export async function mapFrameRates(page: Page): Promise<MapGestureFigures[]> {
  // CPU time of the page's main thread and of its whole renderer process (Chromium's own counters, in seconds):
  // unlike wall time, it barely moves with the machine's load.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpuSeconds = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { thread: value('ThreadTime'), process: value('ProcessTime') };
  };
  const figures: MapGestureFigures[] = [];
  for (const gesture of ['pan', 'zoom'] as const) {
    const cpuBefore = await cpuSeconds();
    const result = await page.evaluate(async (kind) => {
      const canvas = document.querySelector('[data-testid=scatter-canvas]') as HTMLCanvasElement;
      const box = canvas.getBoundingClientRect();
      const cx = box.left + box.width / 2;
      const cy = box.top + box.height / 2;
      const drawsAtStart = Number(canvas.dataset.draws);
      const costs: number[] = [];
      const mainThread: number[] = [];
      let frames = 0;
      // Main-thread time of one frame: from the input to a message posted right after it, which runs once the
      // input's handlers, Svelte's update, the point drawing and the frame's style, layout and paint are done.
      const channel = new MessageChannel();
      let inputAt = 0;
      channel.port1.onmessage = () => mainThread.push(performance.now() - inputAt);
      if (kind === 'pan') canvas.dispatchEvent(new MouseEvent('mousedown', { clientX: cx, clientY: cy, bubbles: true, view: window, button: 0 }));
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        const step = () => {
          inputAt = performance.now();
          const t = inputAt - t0;
          frames++;
          if (kind === 'pan') {
            const x = cx + Math.sin(t / 300) * 200;
            const y = cy + Math.cos(t / 400) * 120;
            window.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true, view: window }));
          } else {
            // In first (negative deltaY), out again: the scale stays inside the map's zoom extent (0.5–500×). Zooming
            // out first hit the 0.5× limit within half a second, where d3 reports an unchanged view and nothing is
            // drawn, so a third of the frames counted as not drawn.
            canvas.dispatchEvent(new WheelEvent('wheel', { clientX: cx + 50, clientY: cy - 30, deltaY: -Math.sin(t / 500) * 40, bubbles: true, cancelable: true }));
          }
          channel.port2.postMessage(0);
          const cost = Number(canvas.dataset.drawMs);
          if (Number.isFinite(cost)) costs.push(cost);
          if (t < 3000) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      if (kind === 'pan') window.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, view: window }));
      const seconds = (performance.now() - t0) / 1000;
      costs.sort((a, b) => a - b);
      mainThread.sort((a, b) => a - b);
      const at = (values: number[], q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
      return {
        draws: Number(canvas.dataset.draws) - drawsAtStart,
        fps: (Number(canvas.dataset.draws) - drawsAtStart) / seconds,
        browserFps: frames / seconds,
        drawMs: at(costs, 0.5),
        worstMs: costs.at(-1) ?? NaN,
        mainMs: at(mainThread, 0.5),
        mainP90Ms: at(mainThread, 0.9),
      };
    }, gesture);
    const cpuAfter = await cpuSeconds();
    const perFrame = (seconds: number) => (seconds * 1000) / Math.max(1, result.draws);
    figures.push({
      gesture,
      fps: result.fps,
      browserFps: result.browserFps,
      mainMs: result.mainMs,
      mainP90Ms: result.mainP90Ms,
      drawMs: result.drawMs,
      worstMs: result.worstMs,
      threadCpuPerFrame: perFrame(cpuAfter.thread - cpuBefore.thread),
      processCpuPerFrame: perFrame(cpuAfter.process - cpuBefore.process),
      load: os.loadavg()[0]!,
    });
  }
  return figures;
}

/** One line per gesture. Wall-clock frame rates on a shared machine swing with its load; the main-thread time per frame says what the page itself costs (33 ms is the budget of 30 frames/s). */
export function mapFiguresText(f: MapGestureFigures, points: number): string {
  return (
    `map ${f.gesture} with ${points.toLocaleString()} points: ${f.fps.toFixed(1)} frames/s drawn (browser ran ${f.browserFps.toFixed(1)} frames/s; ` +
    `main-thread time per frame median ${f.mainMs.toFixed(1)} ms, p90 ${f.mainP90Ms.toFixed(1)} ms; ` +
    `CPU per drawn frame: main thread ${f.threadCpuPerFrame.toFixed(1)} ms, renderer process ${f.processCpuPerFrame.toFixed(1)} ms; point drawing median ${f.drawMs.toFixed(1)} ms, worst ${f.worstMs.toFixed(1)} ms; ` +
    `load average ${f.load.toFixed(1)} on ${os.availableParallelism()} cores; target ≥ 30): ${f.fps >= 30 ? 'MET' : 'NOT MET'}`
  );
}

/** How a label is given before Enter saves it: a key that turns the arrow, or an angle typed in digits. */
export type AngleEntry = { kind: 'arrow' } | { kind: 'typed'; angleOf: (i: number) => number };

/**
 * Opens Annotate, then `count` times gives the image on screen a label and
 * presses Enter, timing each from the Enter keydown to the next image drawn
 * (milliseconds, sorted as measured).
 */
export async function enterToNextImage(page: Page, count: number, entry: AngleEntry): Promise<number[]> {
  await page.click('[data-nav=annotate]');
  await page.waitForFunction(() => document.body.dataset.lastDrawnSample !== undefined, undefined, { timeout: 300_000 });
  await page.locator('[data-testid=viewport]').focus();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    // Let the prefetch of the next images finish, as it does while an expert looks at an image.
    await page.waitForTimeout(150);
    const before = await page.evaluate(() => document.body.dataset.lastDrawnSample);
    if (entry.kind === 'arrow') await page.keyboard.press('ArrowRight');
    else await page.keyboard.type(String(entry.angleOf(i)));
    await page.evaluate(() => {
      window.addEventListener('keydown', () => (document.body.dataset.enterAt = String(performance.now())), { capture: true, once: true });
    });
    await page.keyboard.press('Enter');
    await page.waitForFunction((old) => document.body.dataset.lastDrawnSample !== old, before, { timeout: 60_000 });
    times.push(await page.evaluate(() => Number(document.body.dataset.lastDrawnAt) - Number(document.body.dataset.enterAt)));
  }
  return times;
}
