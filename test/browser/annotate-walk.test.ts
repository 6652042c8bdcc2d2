import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ProjectStatus } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { nextShown, shown, shownSample } from './support/annotate-page';
import { makeDemoProject, trainSmallModel } from './support/demo-project';

/**
 * The expert's walk of issue 14: 200 labels on the demo mixing every way of
 * setting an angle and every action, by keys and by mouse, with undo and
 * redo; the export must then hold exactly what was meant.
 */
const LABELS = 200;

let backend: TestBackend;
let projectPath: string;
const dir = tempDir();

before(async () => {
  const made = await makeDemoProject(dir, 0.14);
  assert.ok(made.samples >= LABELS + 60, `the demo has ${made.samples} samples`);
  projectPath = made.projectPath;
  backend = await startBackend(projectPath);
  await trainSmallModel(backend);
});
after(() => backend?.close());

interface Meant {
  angle: number | null;
  status: 'active' | 'excluded';
  /** Labels made in queue order: the rank they must store. */
  rank?: number;
}

async function dragDial(page: Page, dx: number, dy: number): Promise<void> {
  const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx + dx / 4, cy + dy / 4 + 1);
  await page.mouse.down();
  await page.mouse.move(cx + dx / 2, cy + dy / 2, { steps: 3 });
  await page.mouse.move(cx + dx, cy + dy, { steps: 3 });
  await page.mouse.up();
}

test('200 labels by keys and mouse, with skips, excludes, includes, undo and redo, export exactly what was meant', async () => {
  const page = await openApp(backend, '#/annotate');
  const meant = new Map<number, Meant>();
  let labels = 0;
  let id = await shownSample(page);
  const button = (name: RegExp) => page.getByRole('button', { name });
  const image = () => page.locator('[data-testid=viewport]').focus();
  const angleBox = () => page.inputValue('[data-testid=angle-input]');

  /** Enter (or a click on Save) saved `value` for the sample on screen, in queue order. */
  const saved = async (value: number, inOrder = true) => {
    meant.set(id, { angle: value, status: 'active', ...(inOrder ? { rank: labels + 1 } : {}) });
    labels++;
    id = await nextShown(page, id);
  };

  for (let k = 0; labels < LABELS; k++) {
    switch (k % 8) {
      case 0: {
        // Digits typed anywhere, with a tenth.
        const value = ((k * 37) % 360) + (k % 10) / 10;
        await image();
        await page.keyboard.type(value.toFixed(1));
        assert.equal(await angleBox(), value.toFixed(1));
        await page.keyboard.press('Enter');
        await saved(value);
        break;
      }
      case 1: {
        // A dial drag straight right (90°), then two clicks clockwise by key.
        await dragDial(page, 150, 0);
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        assert.equal(await angleBox(), '92.0');
        await page.keyboard.press('Enter');
        await saved(92);
        break;
      }
      case 2: {
        await image();
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.press('Enter');
        await saved(353);
        break;
      }
      case 3: {
        // A snap key, then the mouse on Save; the next image is then worked by keys.
        await image();
        await page.keyboard.press('e');
        await button(/^Save & next/).click();
        await saved(45);
        await page.keyboard.press('Shift+E');
        await page.keyboard.press('Enter');
        await saved(90);
        break;
      }
      case 4: {
        // Skip by mouse, then keys: Enter must not skip again.
        meant.set(id, { angle: null, status: 'active' });
        await button(/^Skip/).click();
        id = await nextShown(page, id);
        await page.keyboard.press('f');
        await page.keyboard.press('Enter');
        await saved(180);
        break;
      }
      case 5: {
        // Exclude by key, change of mind: Backspace brings it back, then it is labeled.
        const was = id;
        await image();
        await page.keyboard.press('x');
        await nextShown(page, was);
        await page.keyboard.press('Backspace');
        await shown(page, was);
        id = was;
        await eventually(`#${was} back in the pool`, async () => ((await call<{ status: string }>(backend, 'getSample', { id: was })).status === 'active' ? true : undefined));
        await page.keyboard.press('Control+ArrowDown');
        await page.keyboard.press('Enter');
        await saved(180);
        break;
      }
      case 6: {
        // Exclude by mouse; every other time, included again from the strip of recent decisions and labeled.
        const was = id;
        meant.set(was, { angle: null, status: 'excluded' });
        await button(/^Exclude/).click();
        id = await nextShown(page, was);
        if (k % 16 === 6) {
          await page.keyboard.press('q');
          await page.keyboard.press('Enter');
          await saved(315);
          await page.locator(`[data-testid=recent-decisions] button[data-sample-id="${was}"][data-kind=exclude]`).click();
          await shown(page, was);
          id = was;
          await button(/^Include/).click();
          await page.locator('[data-testid=include]').waitFor({ state: 'detached' });
          await page.keyboard.type('12');
          await page.keyboard.press('Enter');
          // Labeled out of queue order: its rank is where it stood then, not checked here.
          await saved(12, false);
        }
        break;
      }
      case 7: {
        // Save, undo, redo: by keys, or every other time by the buttons.
        const was = id;
        await image();
        await page.keyboard.type('77');
        await page.keyboard.press('Enter');
        const rank = labels + 1;
        await nextShown(page, was);
        if (k % 16 === 7) await button(/^Undo/).click();
        else await page.keyboard.press('Backspace');
        await shown(page, was);
        if (k % 16 === 7) await button(/^Redo/).click();
        else await page.keyboard.press('Shift+Backspace');
        id = await nextShown(page, was);
        meant.set(was, { angle: 77, status: 'active', rank });
        labels++;
        break;
      }
    }
  }
  await screenshot(page, 'annotate-walk');

  // Every write has landed once the project counts every label.
  await eventually(`${labels} labels stored`, async () => ((await call<ProjectStatus>(backend, 'getStatus')).labeled === labels ? true : undefined));
  await page.close();

  const run = runCli(['export', projectPath, '--format', 'json']);
  assert.equal(run.status, 0, run.stderr);
  const exported = JSON.parse(run.stdout) as { samples: { id: number; angle: number | null; status: string; source: string | null; queueRank: number | null }[] };
  const byId = new Map(exported.samples.map((s) => [s.id, s]));
  let inOrder = 0;
  for (const [sample, want] of meant) {
    const got = byId.get(sample)!;
    if (want.angle === null) assert.equal(got.angle, null, `#${sample} has no label`);
    else assert.ok(got.angle !== null && Math.abs(got.angle - want.angle) <= 0.05, `#${sample}: ${got.angle} for ${want.angle}`);
    assert.equal(got.status, want.status, `#${sample} status`);
    if (want.angle !== null) assert.equal(got.source, 'hand', `#${sample} source`);
    if (want.rank !== undefined) {
      inOrder++;
      assert.equal(got.queueRank, want.rank, `#${sample} rank`);
    }
  }
  // Nothing else was labeled or excluded behind the expert's back.
  assert.equal(exported.samples.filter((s) => s.angle !== null).length, labels);
  assert.equal(exported.samples.filter((s) => s.status === 'excluded').length, [...meant.values()].filter((m) => m.status === 'excluded').length);
  assert.ok(inOrder >= LABELS - 20);
});
