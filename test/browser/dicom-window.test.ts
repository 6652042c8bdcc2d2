import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId, updateSettings } from '../../src/main/store/settings';
import type { JobInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { littleEndian, SYNTAX, writeDicom } from '../helpers/dicom-writer';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';

let backend: TestBackend | undefined;
after(() => backend?.close());

// Stored 1000 on the left half, 3000 on the right, intercept -1024: -24 HU and 1976 HU.
function halves(): Uint16Array {
  const values = new Uint16Array(256 * 256);
  for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) values[y * 256 + x] = x < 128 ? 1000 : 3000;
  return values;
}

/** The gray of the first Samples tile's thumbnail at the middle of its left half, in the page's own decoding. */
const leftGray = (page: Page) =>
  page.locator('[data-testid=review-tile] img').first().evaluate((el) => {
    const img = el as HTMLImageElement;
    if (!img.complete || img.naturalWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    return { gray: context.getImageData(img.naturalWidth / 4, img.naturalHeight / 2, 1, 1).data[0]!, src: img.src };
  });

test('changing the window re-renders the DICOM thumbnails the Samples view shows, and a banner says to train again', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'ct');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'ct.dcm'), writeDicom(SYNTAX.explicit, { rows: 256, columns: 256, bitsAllocated: 16, intercept: -1024, slope: 1 }, { native: littleEndian(halves()) }));
  const projectPath = path.join(dir, 'window.farpoint');
  const project = Project.create(projectPath);
  // Center 0, width 4001: -24 HU is just under mid-gray, (-24 + 0.5) / 4000 + 0.5 of 255 = 126.
  updateSettings(project.db, { window: { mode: 'fixed', center: 0, width: 4001 } });
  await importFolder(project.db, folder);
  const model = Number(project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'cpu', 'now')").run().lastInsertRowid);
  setCurrentModelId(project.db, model);
  project.close();
  backend = await startBackend(projectPath);

  const page = await openApp(backend, '#/samples');
  const before = await eventually('the thumbnail shown', () => leftGray(page).then((v) => v ?? undefined));
  assert.ok(Math.abs(before.gray - 126) <= 3, `before: ${before.gray}`);
  assert.equal(await page.locator('[data-testid=model-input-changed]').count(), 0);

  // A bone-like window: -24 HU is below it, black.
  await call(backend, 'updateSettings', { window: { mode: 'fixed', center: 500, width: 1000 } });
  await page.locator('[data-testid=model-input-changed]').waitFor();
  assert.match(await page.locator('[data-testid=model-input-changed]').innerText(), /train again/i);
  await eventually('the thumbnails job done', async () => (await call<JobInfo[]>(backend!, 'listJobs')).find((j) => j.kind === 'thumbnails' && j.state === 'done'), 60_000);
  const shown = await eventually('the re-rendered thumbnail shown', async () => {
    const now = await leftGray(page);
    return now && now.src !== before.src && now.gray <= 3 ? now : undefined;
  }, 20_000);
  assert.match(shown.src, /rev=\d+/);
  await screenshot(page, 'dicom-window-changed');

  // The banner's button leads to training.
  await page.click('[data-testid=model-input-changed] button');
  assert.match(page.url(), /#\/train/);
  await page.close();
});
