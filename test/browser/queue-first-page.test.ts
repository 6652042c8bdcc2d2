import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';
import { browser } from './support/app-page';

let backend: TestBackend;

before(async () => {
  const file = path.join(tempDir(), 'first-page.farpoint');
  const random = seededRandom(3);
  writeEmbeddedProject(file, 400, () => Float32Array.from({ length: 8 }, () => gaussian(random)));
  backend = await startBackend(file);
});
after(() => backend?.close());

/**
 * Opening the app on its Queue view asks the server for the queue's first
 * page once: a second request for the same page (the view's reload effect
 * on its first run) made the first answer be dropped and the first screen
 * wait for the server to serve the page again.
 */
test('the Queue view asks for its first page once when it opens', async () => {
  const context = await (await browser()).newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const asked: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/call/getQueue')) asked.push(request.postData() ?? '');
  });
  await page.goto(`${backend.server.launchUrl}#/queue`);
  await page.waitForFunction(() => document.querySelector('[data-testid=queue-row][data-sample-id]') !== null);
  // Anything the view would still ask for on opening has been asked by now.
  await page.waitForTimeout(500);
  const firstPage = asked.filter((body) => (JSON.parse(body) as { offset: number }).offset === 0);
  assert.equal(firstPage.length, 1, `asked for the first page ${firstPage.length} times: ${asked.join(' | ')}`);
  await context.close();
});
