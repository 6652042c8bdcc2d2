import path from 'node:path';
import sharp from 'sharp';
import { generateDemoImages } from '../../src/main/stages/demo/generate-demo';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { importLabels } from '../../src/main/stages/labels/import-labels';
import { saveEmbeddings } from '../../src/main/store/embedding-store';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';

/**
 * A small generated project with real images, ground truth from the demo's
 * angles.csv, and latent vectors made from the images themselves (8×8
 * thumbnails: near-copies land close together, as in an autoencoder's space),
 * so the evaluation runs without training an autoencoder first.
 */
export async function generatedProject(dir: string, name: string): Promise<{ file: string; images: number }> {
  const demo = path.join(dir, name);
  const images = await generateDemoImages(demo, { scale: 0.04 });
  const file = path.join(dir, `${name}.farpoint`);
  const project = Project.create(file);
  await importFolder(project.db, path.join(demo, 'images'));
  importLabels(project.db, path.join(demo, 'angles.csv'), 'tester');
  const model = Number(
    project.db
      .prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'test', ?)")
      .run(JSON.stringify({ latentDim: 64 }), new Date().toISOString()).lastInsertRowid,
  );
  const samples = project.db.prepare('SELECT id, path FROM samples ORDER BY id').all() as { id: number; path: string }[];
  const vectors = new Float32Array(samples.length * 64);
  for (const [i, s] of samples.entries()) {
    const raw = await sharp(s.path).greyscale().resize(8, 8).raw().toBuffer();
    for (let k = 0; k < 64; k++) vectors[i * 64 + k] = raw[k]! / 255;
  }
  saveEmbeddings(project.db, model, samples.map((s) => s.id), vectors, 64);
  setCurrentModelId(project.db, model);
  project.close();
  return { file, images: images.length };
}
