import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildCurrentGraph } from '../../src/main/stages/duplicates/build-current-graph';
import { duplicateReport } from '../../src/main/stages/duplicates/duplicate-report';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { embedSamples } from '../../src/main/stages/embed/embed';
import { trainAutoencoder, type TrainOptions } from '../../src/main/stages/train/train';
import { Project } from '../../src/main/store/project';
import type { DuplicateReport } from '../../src/shared/domain';
import { writePlantedImages, type PlantedImages } from '../helpers/planted-images';
import { tempDir } from '../helpers/temp';

/**
 * Planted near-duplicates in the product's own latent space: generated PNGs
 * and JPEGs written by sharp, imported into a project file, the autoencoder
 * trained on them by the training code, every sample embedded by the embed
 * code, then the neighbour graph and the proposed threshold. Nothing here
 * knows which files are copies except the assertions.
 *
 * Tiny on purpose (64 images, 32 × 32 gray input, a 16-d latent, 30 short
 * epochs) so it stays a unit test. Two seeds, so a pass is a property of the
 * pipeline and not of one lucky initialisation.
 *
 * Training uses the product's learning rate (1e-3) and runs all 30 epochs
 * (patience 30): at the autoencoder's Glorot initialisation the signal
 * shrinks through its eight ReLU layers, so the first few epochs can sit on
 * the predict-the-mean plateau (seed 4: validation loss 0.0611 → 0.0606 in
 * 5 epochs) and the default patience of 3 could stop the run there. Seeds
 * 1–5 all pass on wasm here: the proposed threshold comes out 2.2–3.0 ×
 * the widest planted group's distance, and the closest distinct pair
 * 1.08–1.77 × the threshold. A learning rate of 3e-3 escapes the plateau
 * sooner but made seed 3 oscillate (threshold 0.98 × its widest group's
 * distance), so it is not used.
 */

const SEEDS = [1, 2];
const TRAINING: TrainOptions = { inputSize: 32, channels: 1, latentDim: 16, epochs: 30, batchSize: 8, patience: 30, learningRate: 1e-3 };

const dir = tempDir();
let planted: PlantedImages;
let project: Project;

before(async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  planted = await writePlantedImages(path.join(dir, 'images'), { distinct: 40, groups: 6 });
  project = Project.create(path.join(dir, 'planted.farpoint'));
  await importFolder(project.db, planted.dir);
});

after(() => project.close());

const shortName = (file: string) => path.basename(file).replace(/\.\w+$/, '');

function clusterPaths(report: DuplicateReport): string[][] {
  return report.clusters.map((c) => c.members.map((m) => m.path).sort());
}

function assertPlantedClusters(report: DuplicateReport): void {
  const clusters = clusterPaths(report);
  const shown = JSON.stringify(clusters.map((c) => c.map(shortName)));
  for (const group of planted.groups) {
    assert.ok(
      clusters.some((c) => JSON.stringify(c) === JSON.stringify([...group].sort())),
      `planted group ${group.map(shortName).join(', ')} is one cluster, alone (threshold ${report.threshold}); clusters: ${shown}`,
    );
  }
  for (const file of planted.distinct) assert.ok(!clusters.some((c) => c.includes(file)), `distinct ${shortName(file)} merged into a cluster (threshold ${report.threshold}): ${shown}`);
  assert.equal(report.totalClusters, planted.groups.length, shown);
}

for (const seed of SEEDS) {
  test(`seed ${seed}: planted near-duplicates (noise, shift, JPEG re-encoding) come out as clusters at the proposed threshold of the trained latent space; distinct images stay apart`, async () => {
    const trained = await trainAutoencoder(project.db, { ...TRAINING, seed });
    assert.ok(trained.valLoss < trained.history[0]!.valLoss, `the autoencoder learned: ${trained.history.map((h) => h.valLoss.toFixed(4)).join(' ')}`);
    const embedded = await embedSamples(project.db, { modelId: trained.modelId });
    assert.equal(embedded.count, 40 + 6 * 4);

    const info = buildCurrentGraph(project.db);
    assert.equal(info.method, 'exact');
    assert.equal(info.count, 40 + 6 * 4);
    const report = duplicateReport(project.db, null);
    assert.equal(report.graphState, 'ready');
    assert.equal(report.thresholdSource, 'proposed');
    assert.equal(report.threshold, report.proposedThreshold);
    assertPlantedClusters(report);

    for (const cluster of report.clusters) {
      assert.equal(cluster.sameContent, false);
      assert.equal(cluster.members[0]!.id, cluster.representativeId, 'the representative leads its cluster');
      assert.ok(cluster.spread > 0 && cluster.spread <= report.threshold * cluster.size, `spread ${cluster.spread}`);
    }
    // The histogram shows the planted copies left of the threshold and the distinct designs right of it.
    const h = report.histogram!;
    const below = h.counts.reduce((sum, n, i) => sum + (h.edges[i + 1]! <= report.threshold ? n : 0), 0);
    const above = h.counts.reduce((sum, n, i) => sum + (h.edges[i]! > report.threshold ? n : 0), 0);
    assert.ok(below >= 1 && above >= 30, `histogram below ${below}, above ${above}`);
  });
}

test('the HNSW graph (forced on this small pool) finds the same clusters in the last trained latent space', () => {
  const info = buildCurrentGraph(project.db, { exactLimit: 10 });
  assert.equal(info.method, 'hnsw');
  assert.ok(info.recall >= 0.95, `recall ${info.recall}`);
  assertPlantedClusters(duplicateReport(project.db, null));
});
