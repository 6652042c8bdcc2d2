import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';
import { browser } from './support/app-page';

const SAMPLES = 3_000;
let backend: TestBackend;

before(async () => {
  const file = path.join(tempDir(), 'go-to-rank.farpoint');
  const random = seededRandom(5);
  writeEmbeddedProject(file, SAMPLES, () => Float32Array.from({ length: 8 }, () => gaussian(random)));
  backend = await startBackend(file);
});
after(() => backend?.close());

/**
 * The ranks of the queue rows drawn inside the scroller's visible box (rows
 * still loading have none); with `want`, those ranks only when `want.rank` is
 * among them (and first, if asked), else null.
 */
function queueView(want: { rank: number; first: boolean } | null): number[] | null {
  const box = document.querySelector('[data-testid=queue-scroller]')!.getBoundingClientRect();
  const ranks = [...document.querySelectorAll<HTMLElement>('[data-testid=queue-row][data-rank]')]
    .filter((row) => {
      const r = row.getBoundingClientRect();
      return r.bottom > box.top + 1 && r.top < box.bottom - 1;
    })
    .map((row) => Number(row.dataset.rank));
  if (!want) return ranks;
  return ranks.includes(want.rank) && (!want.first || Math.min(...ranks) === want.rank) ? ranks : null;
}

/**
 * The keyboard path to a deep rank: type it in the Queue view's rank field
 * and press Enter. The rank shows in view once its part of the order is
 * computed (past the head, by the queue job), and the queue's last rank
 * can be reached too.
 */
test('typing a rank and Enter scrolls the queue to that rank, the last one included', async () => {
  const context = await (await browser()).newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${backend.server.launchUrl}#/queue`);
  await page.waitForFunction(() => document.querySelector('[data-testid=queue-row][data-sample-id]') !== null);
  for (const rank of [2_345, SAMPLES]) {
    await page.fill('[data-testid=queue-go-to]', String(rank));
    await page.press('[data-testid=queue-go-to]', 'Enter');
    // The queue reloads its pages when the job that computes them stores or ends: wait for the rank in view, loaded.
    const first = rank < SAMPLES;
    const shown = await page
      .waitForFunction(queueView, { rank, first }, { timeout: 30_000 })
      .then(() => true)
      .catch(() => false);
    assert.ok(shown, `rank ${rank} is not ${first ? 'first ' : ''}in view: ${(await page.evaluate(queueView, null))?.join(', ')}`);
  }
  await context.close();
});
