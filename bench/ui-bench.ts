import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { gaussian, seededRandom } from '../src/main/core/random';
import { importFolder } from '../src/main/stages/import/import-folder';
import { Project } from '../src/main/store/project';
import { setCurrentModelId } from '../src/main/store/settings';
import { startBackend, type TestBackend } from '../test/helpers/backend';
import { launchChromium } from '../test/helpers/browser';
import { labelKeys } from './label-keys';
import { enterToNextImage, leaveMap, mapFiguresText, mapFrameRates, median, newPage as openPage, openMap, queueJumpToRank, queueScrollFps, queueTabToRows } from './ui-measures';

/**
 * `npm run bench -- ui [N]` (N defaults to 100,000; needs `npm run build`):
 * drives the real UI in Chromium against the real web server and prints
 * - frames per second panning and zooming the latent map with N points,
 * - time from Enter to the next image drawn in the annotation tool (median of 50),
 * - time to first render of an N-entry queue.
 * `npm run bench -- ui N map` prints only the map figures.
 * `npm run bench -- ui N keys [SCALE]` prints only key presses per label for N labels on the demo (scale SCALE of the
 * full set, default 0.5), from 0° and from the orientation model's suggestions (no browser).
 */
export async function run(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 100_000);
  /** `map` runs only the map figures (for quick checks of the drawing code). */
  const only = args[1];
  if (only === 'keys') return labelKeys(n, { scale: Number(args[2] ?? 0.5), tolerance: 1, retrainAt: [10, 20, 40, 80, 160, 320, 640] });
  if (!fs.existsSync(path.resolve('dist/renderer/index.html'))) throw new Error('the UI is not built: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-ui-'));
  const browser = await launchChromium();
  try {
    console.log(`ui bench: ${os.availableParallelism()} cores, headless Chromium (software rendering), viewport 1280×800`);
    const bigProject = await syntheticProject(path.join(dir, 'big.farpoint'), n, 16);
    const big = await startBackend(bigProject);
    try {
      const page = await newPage(browser, big);
      if (only !== 'map') await queueFirstRender(page, n);
      const load = () => `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`;
      const cold = await openMap(page, n);
      console.log(`map: ${n.toLocaleString()} points, first drawn ${cold.first.toFixed(1)} s, all loaded ${cold.all.toFixed(1)} s after opening the tab (cold: the map job computes the projection first; ${load()})`);
      // Again with the projection stored: what the paged load itself costs.
      await leaveMap(page);
      const warm = await openMap(page, n);
      console.log(
        `map: ${n.toLocaleString()} points, first drawn ${warm.first.toFixed(2)} s, all loaded ${warm.all.toFixed(2)} s after opening the tab (projection stored; longest main-thread task meanwhile ${warm.longestTaskMs.toFixed(0)} ms; ${load()})`,
      );
      for (const figures of await mapFrameRates(page)) console.log(mapFiguresText(figures, n));
      await page.close();
    } finally {
      await big.close();
    }
    if (only === 'map') return;
    const small = await startBackend(await realImageProject(dir, 80));
    try {
      const page = await newPage(browser, small);
      const times = await enterToNextImage(page, 50, { kind: 'arrow' });
      const sorted = [...times].sort((a, b) => a - b);
      const med = median(times);
      console.log(
        `annotate: Enter to next image drawn (256×256 PNG, 50 saves): median ${med.toFixed(1)} ms, p90 ${sorted[Math.floor(sorted.length * 0.9)]!.toFixed(1)} ms, worst ${sorted.at(-1)!.toFixed(1)} ms (target ≤ 100 ms): ${med <= 100 ? 'MET' : 'NOT MET'}`,
      );
      await page.close();
    } finally {
      await small.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function newPage(browser: Awaited<ReturnType<typeof launchChromium>>, backend: TestBackend) {
  const page = await openPage(browser, `${backend.server.launchUrl}#/samples`);
  await page.locator('.shell nav').waitFor();
  return page;
}

/**
 * N samples with one shared tiny thumbnail and latent-like synthetic
 * embeddings (clusters of different size and spread), written straight into
 * SQLite: the UI's costs do not depend on where the vectors came from.
 */
async function syntheticProject(file: string, n: number, dim: number): Promise<string> {
  const started = performance.now();
  const project = Project.create(file);
  const { db } = project;
  const thumb = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888888' } }).jpeg().toBuffer();
  const random = seededRandom(11);
  const centres = Array.from({ length: 40 }, () => Array.from({ length: dim }, () => gaussian(random) * 3));
  const spreads = centres.map(() => 0.2 + random());
  const now = new Date().toISOString();
  db.transaction(() => {
    const model = Number(
      db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'synthetic', ?)").run(now).lastInsertRowid,
    );
    const addSample = db.prepare(
      "INSERT INTO samples (id, path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, ?, 64, 64, 1, 8, 'png', ?)",
    );
    const addThumb = db.prepare("INSERT INTO thumbnails (sample_id, width, height, mime, data) VALUES (?, 8, 8, 'image/jpeg', ?)");
    const addVector = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    const vector = new Float32Array(dim);
    for (let id = 1; id <= n; id++) {
      addSample.run(id, `/synthetic/sample-${id}.png`, `hash-${id}`, now);
      addThumb.run(id, thumb);
      // Zipf-like cluster sizes: a few big clusters of near-duplicates and a long tail.
      const c = Math.min(centres.length - 1, Math.floor(centres.length * random() ** 2));
      for (let k = 0; k < dim; k++) vector[k] = centres[c]![k]! + gaussian(random) * spreads[c]!;
      addVector.run(model, id, Buffer.from(vector.buffer.slice(0)));
    }
    setCurrentModelId(db, model);
  })();
  project.close();
  console.log(`project: ${n.toLocaleString()} samples, d=${dim} synthetic embeddings, written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

/** A small project of real 256×256 PNGs: the annotation tool shows real decoded images. */
async function realImageProject(dir: string, count: number): Promise<string> {
  const images = path.join(dir, 'images');
  fs.mkdirSync(images);
  for (let i = 0; i < count; i++) {
    const size = 256;
    const pixels = Buffer.alloc(size * size);
    for (let p = 0; p < pixels.length; p++) pixels[p] = ((p % size) * (i + 3) + Math.floor(p / size) * 7) & 0xff;
    await sharp(pixels, { raw: { width: size, height: size, channels: 1 } }).png().toFile(path.join(images, `img-${String(i).padStart(3, '0')}.png`));
  }
  const project = Project.create(path.join(dir, 'small.farpoint'));
  await importFolder(project.db, images);
  const file = project.path;
  project.close();
  return file;
}

/** From clicking the Queue tab to the first rows drawn with their data (cold back end, then warm, median of 5). */
async function queueFirstRender(page: Awaited<ReturnType<typeof newPage>>, n: number): Promise<void> {
  const times: number[] = [];
  for (let round = 0; round < 6; round++) {
    await page.click('[data-nav=samples]');
    await page.locator('[data-testid=thumbnail-grid]').waitFor();
    times.push(await queueTabToRows(page));
  }
  const total = await page.locator('[data-testid=queue-total]').innerText();
  console.log(`queue: first render of the ${n.toLocaleString()}-entry queue (${total.trim()}): cold ${times[0]!.toFixed(0)} ms (back end builds the FPS head), warm median ${median(times.slice(1)).toFixed(0)} ms`);
  // Scrolling: jump to rank 2,000 and time until those rows show their data. (Deeper jumps wait for the
  // back end to extend the FPS order that far unless its queue job has stored the whole order.)
  const deep = await queueJumpToRank(page, 2000);
  const frames = await queueScrollFps(page);
  console.log(`queue: jump to rank 2,000, rows with data after ${deep.toFixed(0)} ms; continuous scrolling ${frames.toFixed(0)} frames/s`);
}
