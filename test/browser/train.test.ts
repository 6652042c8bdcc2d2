import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AutoencoderInfo, ProjectStatus } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { makeDemoProject } from './support/demo-project';

let backend: TestBackend;
const dir = tempDir();
let samples = 0;

before(async () => {
  const made = await makeDemoProject(dir);
  samples = made.samples;
  backend = await startBackend(made.projectPath);
});
after(() => backend?.close());

test('an untrained project shows the queue as a calm empty state that leads to the Train view, not an error', async () => {
  const page = await openApp(backend, '#/queue');
  const empty = page.locator('[data-testid=queue-needs-embeddings]');
  await empty.waitFor();
  assert.match(await empty.innerText(), /Train a model to get a queue/);
  assert.equal(await page.locator('[data-testid=error]').count(), 0, 'no error banner');
  await screenshot(page, 'queue-needs-embeddings');
  await page.click('[data-testid=go-train]');
  await page.waitForFunction(() => location.hash === '#/train');
  await page.locator('[data-testid=start-training]').waitFor();
  await page.close();
});

test('the train view trains and embeds with the chosen settings, with a live loss curve and reconstructions', async () => {
  const page = await openApp(backend, '#/train');
  await page.locator('[data-testid=backend]', { hasText: /wasm|cpu|node/ }).waitFor();
  assert.match(await page.locator('.help').innerText(), /Rotation augmentation is off on purpose/);

  await page.fill('input[name=epochs]', '2');
  await page.selectOption('select[name=input-size]', '32');
  await page.fill('input[name=latent-dim]', '8');
  await page.click('[data-testid=start-training]');
  // Training, then embedding, ends with a current model that embedded every sample.
  await page.locator('[data-testid=train-state]', { hasText: 'done' }).waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=recon-strip]').waitFor();
  await page.locator('[data-testid=models] tr.current').waitFor();

  const models = await call<AutoencoderInfo[]>(backend, 'listModels');
  assert.equal(models.length, 1);
  assert.equal(models[0]!.inputSize, 32);
  assert.equal(models[0]!.latentDim, 8);
  assert.equal(models[0]!.history.length, 2);
  const status = await call<ProjectStatus>(backend, 'getStatus');
  assert.equal(status.embedded, samples);
  assert.ok((await page.locator('[data-testid=loss-train]').getAttribute('d'))!.length > 5, 'the train loss is drawn');
  assert.ok((await page.locator('[data-testid=loss-val]').getAttribute('d'))!.length > 5, 'the validation loss is drawn');
  await page.locator('[data-testid=count-embedded]', { hasText: `${samples} embedded` }).waitFor();
  await screenshot(page, 'train');
  await page.close();
});

test('the train view trains the contrastive encoder when chosen, names its loss and views, and the model table says which encoder made each model', async () => {
  const page = await openApp(backend, '#/train');
  await page.locator('[data-testid=backend]', { hasText: /wasm|cpu|node/ }).waitFor();
  await page.check('input[name=encoder][value=contrastive]');
  assert.match(await page.locator('.help').innerText(), /never rotates or flips/);
  await page.fill('input[name=epochs]', '1');
  await page.selectOption('select[name=input-size]', '32');
  await page.fill('input[name=latent-dim]', '8');
  await page.click('[data-testid=start-training]');
  // The new model becomes current once it has embedded every sample.
  await page.locator('[data-testid=models] tr.current [data-testid=model-encoder]', { hasText: 'contrastive' }).waitFor({ timeout: 120_000 });
  await page.locator('.strip h3', { hasText: 'Two augmented views' }).waitFor();
  assert.deepEqual(
    (await call<AutoencoderInfo[]>(backend, 'listModels')).map((m) => m.encoder),
    ['contrastive', 'autoencoder'],
  );
  const status = await call<ProjectStatus>(backend, 'getStatus');
  assert.equal(status.currentEncoder, 'contrastive');
  assert.equal(status.embedded, samples);
  assert.match(await page.locator('.figures').innerText(), /NT-Xent loss/);
  await screenshot(page, 'train-contrastive');
  await page.close();
});

test('the train view trains on a capped sample with tone normalisation when asked, and still embeds every sample', async () => {
  const page = await openApp(backend, '#/train');
  await page.locator('[data-testid=backend]', { hasText: /wasm|cpu|node/ }).waitFor();
  await page.check('input[name=encoder][value=autoencoder]');
  await page.fill('input[name=epochs]', '1');
  await page.selectOption('select[name=input-size]', '32');
  await page.fill('input[name=latent-dim]', '8');
  await page.fill('input[name=max-training-images]', '10');
  await page.check('input[name=normalise-tone]');
  assert.match(await page.locator('.help').innerText(), /above 10 of them, from a random sample/);
  assert.match(await page.locator('.help').innerText(), /tone normalisation/);
  await page.click('[data-testid=start-training]');
  await page.locator('[data-testid=train-sample]', { hasText: `10 of ${samples}` }).waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=models] tr.current [data-testid=model-sample]', { hasText: `10 of ${samples} · tone normalised` }).waitFor({ timeout: 120_000 });
  const [newest] = await call<AutoencoderInfo[]>(backend, 'listModels');
  assert.deepEqual(newest!.sample, { images: 10, pool: samples });
  assert.equal(newest!.maxTrainingImages, 10);
  assert.equal(newest!.normaliseTone, true);
  const status = await call<ProjectStatus>(backend, 'getStatus');
  assert.equal(status.embedded, samples, 'every sample is embedded, not only the ten trained on');
  await screenshot(page, 'train-sample');
  await page.close();
});
