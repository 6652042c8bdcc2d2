import fs from 'node:fs';
import path from 'node:path';
import type { EncoderKind } from '../src/shared/domain';
import { trainAutoencoder } from '../src/main/stages/train/train';
import { Project } from '../src/main/store/project';
import { median, viewDistances, BRIGHTNESS_SHIFT } from '../test/helpers/view-invariance';
import { demoProject } from './train-bench';

/**
 * `npm run bench -- invariance [epochs] [--images N]`: issue 16's test at full
 * size. Both encoders are trained with the defaults (64×64 gray, latent 32,
 * batch 32, seed 1) on the 2,000 demo images for `epochs` (default 10), then
 * N demo images (default 100, spread over the set) are embedded with a copy
 * made brighter and a copy rotated by 90°. Prints, per encoder, the median
 * latent distance to each copy, the median of their ratio, and the share of
 * images whose brighter copy is the nearer: a latent space for orientation
 * labels should keep the rotation and ignore the tone.
 */
export async function run(args: string[]): Promise<void> {
  const epochs = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
  const at = args.indexOf('--images');
  const count = at >= 0 ? Number(args[at + 1]) : 100;
  const file = await demoProject();
  const dir = path.dirname(file);
  const rows = fs.readFileSync(path.join(dir, 'angles.csv'), 'utf8').trim().split('\n').slice(1);
  const step = Math.max(1, Math.floor(rows.length / count));
  const files = rows.filter((_, i) => i % step === 0).slice(0, count).map((r) => path.join(dir, r.split(',')[0]!));
  const project = Project.open(file);
  try {
    console.log(`brighter copy (+${BRIGHTNESS_SHIFT}/255) against a 90°-rotated copy, ${files.length} demo images; encoders trained ${epochs} epochs on ${rows.length} images`);
    for (const encoder of ['autoencoder', 'contrastive'] as EncoderKind[]) {
      const trained = await trainAutoencoder(project.db, { encoder, epochs, seed: 1, fresh: true, patience: epochs });
      const d = await viewDistances(project.db, trained.modelId, files, fs.mkdtempSync(path.join(dir, 'copies-')));
      const ratios = d.brightness.map((b, i) => b / d.rotation[i]!);
      const nearer = d.brightness.filter((b, i) => b < d.rotation[i]!).length / files.length;
      console.log(
        `  ${encoder.padEnd(12)} model ${trained.modelId}: ${trained.epochs} epochs, ${trained.threads} thread(s), ${trained.imagesPerSecond.toFixed(0)} images/s; ` +
          `median distance to brighter ${median(d.brightness).toFixed(3)}, to rotated ${median(d.rotation).toFixed(3)}, ` +
          `median ratio ${median(ratios).toFixed(3)}, brighter nearer for ${(100 * nearer).toFixed(0)} % of images (${median(ratios) < 1 ? 'passes' : 'fails'})`,
      );
    }
  } finally {
    project.close();
  }
}
