import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import sharp from 'sharp';
import { embedSamples } from '../../src/main/stages/embed/embed';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { stretchTone } from '../../src/main/stages/train/tone-stretch';
import { trainAutoencoder, type TrainOptions } from '../../src/main/stages/train/train';
import { loadCurrentEmbeddings } from '../../src/main/store/embedding-store';
import { listAutoencoders } from '../../src/main/store/model-store';
import { Project } from '../../src/main/store/project';
import { tempDir } from '../helpers/temp';

/**
 * Tone normalisation (the `normaliseTone` training setting), for real: 16 px PNGs decoded by sharp, among them two
 * pairs of images that differ only in brightness and contrast, trained for one epoch with either encoder.
 */
const SIZE = 16;
const dir = tempDir();
const images = path.join(dir, 'images');

/** A gradient with a bright square placed by `seed`, as 8-bit gray values in 20..220. */
function scene(seed: number): Uint8Array {
  const out = new Uint8Array(SIZE * SIZE);
  const sx = (seed * 5) % (SIZE - 6);
  const sy = (seed * 3) % (SIZE - 6);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inSquare = x >= sx && x < sx + 6 && y >= sy && y < sy + 6;
      out[y * SIZE + x] = inSquare ? 220 : 20 + ((x * 7 + y * 11 + seed * 13) % 150);
    }
  }
  return out;
}

/** The same scene under other light: half the contrast, brighter. */
const dimmed = (pixels: Uint8Array) => pixels.map((v) => Math.round(v * 0.5 + 70));

async function writePng(file: string, pixels: Uint8Array): Promise<void> {
  await sharp(Buffer.from(pixels), { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toFile(file);
}

before(async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  fs.mkdirSync(images, { recursive: true });
  for (let seed = 1; seed <= 14; seed++) await writePng(path.join(images, `scene-${String(seed).padStart(2, '0')}.png`), scene(seed));
  await writePng(path.join(images, 'scene-01-dimmed.png'), dimmed(scene(1)));
  await writePng(path.join(images, 'scene-02-dimmed.png'), dimmed(scene(2)));
});

const tiny: TrainOptions = { inputSize: SIZE, latentDim: 4, batchSize: 4, seed: 3, epochs: 1, threads: 1 };

/** Each pair's latent distance over the median distance between different scenes (a scale-free closeness). */
async function pairCloseness(name: string, options: TrainOptions): Promise<{ ratios: number[]; normaliseTone: boolean }> {
  const project = Project.create(path.join(dir, name));
  try {
    await importFolder(project.db, images);
    const trained = await trainAutoencoder(project.db, options);
    await embedSamples(project.db, { modelId: trained.modelId });
    const matrix = loadCurrentEmbeddings(project.db)!;
    const idOf = (file: string) => project.db.prepare('SELECT id FROM samples WHERE path LIKE ?').pluck().get(`%${file}`) as number;
    const dim = matrix.dim;
    const vector = (id: number) => {
      const row = Array.from(matrix.ids).indexOf(id);
      return matrix.vectors.subarray(row * dim, (row + 1) * dim);
    };
    const distance = (a: number, b: number) => Math.hypot(...Array.from(vector(a), (v, k) => v - vector(b)[k]!));
    const scenes = Array.from({ length: 14 }, (_, i) => idOf(`scene-${String(i + 1).padStart(2, '0')}.png`));
    const between: number[] = [];
    for (let i = 0; i < scenes.length; i++) for (let j = i + 1; j < scenes.length; j++) between.push(distance(scenes[i]!, scenes[j]!));
    between.sort((a, b) => a - b);
    const median = between[Math.floor(between.length / 2)]!;
    const ratios = [1, 2].map((k) => distance(idOf(`scene-0${k}.png`), idOf(`scene-0${k}-dimmed.png`)) / median);
    return { ratios, normaliseTone: listAutoencoders(project.db)[0]!.normaliseTone };
  } finally {
    project.close();
  }
}

test('the stretch maps an image and the same image under other light to the same bytes (±2), for uint8 and float pixels', () => {
  const a = scene(4);
  const b = dimmed(a);
  stretchTone(a, 255);
  stretchTone(b, 255);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 2, `pixel ${i}: ${a[i]} against ${b[i]}`);
  assert.ok(Math.min(...a) === 0 && Math.max(...a) === 255, 'the stretch spans the full range');

  const f = Float32Array.from(scene(4), (v) => v / 255);
  const g = f.map((v) => v * 0.3 + 0.4);
  stretchTone(f, 1);
  stretchTone(g, 1);
  for (let i = 0; i < f.length; i++) assert.ok(Math.abs(f[i]! - g[i]!) < 0.02, `float pixel ${i}: ${f[i]} against ${g[i]}`);
});

test('the stretch keeps a tiny object on a flat background, and makes a flat image mid-grey', () => {
  const dot = new Uint8Array(SIZE * SIZE).fill(100);
  dot[37] = 140; // one pixel in 256: below the 0.5th percentile's reach
  stretchTone(dot, 255);
  assert.equal(dot[37], 255, 'the object is not clipped away');
  assert.equal(dot[0], 0);
  const flat = new Uint8Array(64).fill(30);
  stretchTone(flat, 255);
  assert.ok(flat.every((v) => v === 128));
});

for (const encoder of ['autoencoder', 'contrastive'] as const) {
  test(`${encoder}: with normaliseTone two images that differ only in tone embed (nearly) alike, without it they do not; the model record carries it`, async () => {
    const on = await pairCloseness(`${encoder}-on.farpoint`, { ...tiny, encoder, normaliseTone: true });
    const off = await pairCloseness(`${encoder}-off.farpoint`, { ...tiny, encoder });
    assert.equal(on.normaliseTone, true, 'the model record says it normalised, so embedding did too');
    assert.equal(off.normaliseTone, false);
    for (const k of [0, 1]) {
      assert.ok(on.ratios[k]! < 0.05, `pair ${k + 1} with normalisation: ${on.ratios[k]!.toFixed(4)} of the median distance between scenes`);
      assert.ok(off.ratios[k]! > 4 * on.ratios[k]! && off.ratios[k]! > 0.1, `pair ${k + 1} without normalisation: ${off.ratios[k]!.toFixed(4)} (with: ${on.ratios[k]!.toFixed(4)})`);
    }
  });
}
