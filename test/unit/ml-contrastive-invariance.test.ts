import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { generateDemoImages } from '../../src/main/stages/demo/generate-demo';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { trainAutoencoder } from '../../src/main/stages/train/train';
import { Project } from '../../src/main/store/project';
import { tempDir } from '../helpers/temp';
import { median, viewDistances } from '../helpers/view-invariance';

/**
 * Issue 16's test of what the contrastive latent space keeps: on the demo
 * images (a twentieth of the set, about 100 images), a briefly trained small
 * contrastive model puts a brighter copy of an image nearer to it than the
 * same image rotated by 90°, in the median over the images. The full-size
 * model's figures, beside the autoencoder's: `npm run bench -- invariance`.
 */
test('a trained contrastive model embeds a brighter copy nearer to its image than a 90°-rotated copy (demo, median over ~100 images)', async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  const dir = tempDir();
  const demo = await generateDemoImages(dir, { scale: 0.05 });
  assert.ok(demo.length >= 90, `${demo.length} demo images`);
  const project = Project.create(path.join(dir, 'demo.farpoint'));
  try {
    await importFolder(project.db, path.join(dir, 'images'));
    const trained = await trainAutoencoder(project.db, { encoder: 'contrastive', inputSize: 32, latentDim: 16, batchSize: 32, seed: 1, epochs: 4, patience: 10, threads: 1 });
    const files = demo.slice(0, 100).map((d) => path.join(dir, d.file));
    const { brightness, rotation } = await viewDistances(project.db, trained.modelId, files, path.join(dir, 'copies'));
    const ratios = brightness.map((b, i) => b / rotation[i]!);
    assert.ok(median(ratios) < 1, `median distance to the brighter copy over that to the rotated copy: ${median(ratios)} (should be below 1)`);
    assert.ok(median(brightness) < median(rotation), `median distances: brighter ${median(brightness)}, rotated ${median(rotation)}`);
  } finally {
    project.close();
  }
});
