import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import type { EpochRecord } from '../../src/shared/domain';
import { runCli, spawnCli } from '../helpers/cli';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { waitForCount } from './support/poll-count';
import { assertIntegrity } from './support/project-checks';
import { SeededRandom } from './support/seeded-random';
import { SOAK_SEED, soakCount } from './support/soak-counts';

/** Small and fast: 16×16 inputs, latent 4; each epoch takes a fraction of a second, so kills land in every phase. */
const TRAIN_ARGS = ['--size', '16', '--latent', '4', '--batch', '16', '--seed', '3'];

interface TrainState {
  models: { id: number; state: string; history: string }[];
  checkpointEpoch: number;
}

function trainState(file: string, where: string): TrainState {
  const project = Project.open(file);
  try {
    assertIntegrity(project.db, where);
    const models = project.db.prepare("SELECT id, state, history FROM models WHERE kind = 'autoencoder' ORDER BY id").all() as TrainState['models'];
    const checkpointEpoch = (project.db.prepare('SELECT MAX(epoch) FROM checkpoints').pluck().get() as number | null) ?? 0;
    return { models, checkpointEpoch };
  } finally {
    project.close();
  }
}

function trainToEnd(file: string, epochs: number, where: string): { modelId: number; resumedFromEpoch: number | null; history: EpochRecord[] } {
  const run = runCli(['train', file, '--epochs', String(epochs), ...TRAIN_ARGS, '--json']);
  assert.equal(run.status, 0, `${where}: training to the end failed: ${run.stderr.slice(-800)}`);
  return JSON.parse(run.stdout) as { modelId: number; resumedFromEpoch: number | null; history: EpochRecord[] };
}

function assertSameHistory(actual: EpochRecord[], reference: EpochRecord[], where: string): void {
  assert.deepEqual(actual.map((h) => h.epoch), reference.map((h) => h.epoch), `${where}: epochs trained`);
  for (const [i, h] of actual.entries()) {
    const ref = reference[i]!;
    // Seeded shuffles and the restored optimizer state make a resumed run repeat the uninterrupted one.
    assert.ok(Math.abs(h.trainLoss - ref.trainLoss) <= 1e-6 * ref.trainLoss, `${where}: epoch ${h.epoch} loss ${h.trainLoss} vs uninterrupted ${ref.trainLoss}`);
    assert.ok(Math.abs(h.valLoss - ref.valLoss) <= 1e-6 * ref.valLoss, `${where}: epoch ${h.epoch} validation loss ${h.valLoss} vs ${ref.valLoss}`);
  }
}

test('training killed with SIGKILL at random points resumes from its last checkpoint and ends as an uninterrupted run would', async () => {
  const runs = soakCount(3, 20);
  const epochs = runs + 3;
  const rng = new SeededRandom(SOAK_SEED + 2);
  const dir = tempDir();
  const base = path.join(dir, 'base.farpoint');
  const images = path.join(dir, 'images');
  await writeImageFolder(images, 48, 32);
  const project = Project.create(base);
  await importFolder(project.db, images);
  project.close();

  const reference = path.join(dir, 'reference.farpoint');
  fs.copyFileSync(base, reference);
  const uninterrupted = trainToEnd(reference, epochs, 'uninterrupted reference');

  let chain = 0;
  let file = '';
  let lastCheckpoint = 0;
  let modelId: number | null = null;
  const startChain = () => {
    chain++;
    file = path.join(dir, `chain-${chain}.farpoint`);
    fs.copyFileSync(base, file);
    lastCheckpoint = 0;
    modelId = null;
  };
  const finishChain = (where: string) => {
    const result = trainToEnd(file, epochs, where);
    assert.equal(result.modelId, modelId ?? result.modelId, `${where}: the resumed run trained a new model instead of continuing model ${modelId}`);
    assert.equal(result.resumedFromEpoch, lastCheckpoint > 0 ? lastCheckpoint + 1 : null, `${where}: resumed from the wrong epoch`);
    assertSameHistory(result.history, uninterrupted.history, where);
    const final = trainState(file, `${where}, finished`);
    assert.deepEqual(final.models.map((m) => [m.id, m.state]), [[result.modelId, 'ready']], `${where}: models after the end`);
  };

  startChain();
  let survived = 0;
  let killed = 0;
  for (let run = 1; run <= runs; run++) {
    const where = `chain ${chain} run ${run} (seed ${SOAK_SEED + 2})`;
    const child = spawnCli(['train', file, '--epochs', String(epochs), ...TRAIN_ARGS]);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // One kill in five during start-up or image decoding; the others just after a checkpoint, somewhere in the next epoch.
    if (rng.chance(0.2)) await new Promise((resolve) => setTimeout(resolve, rng.int(0, 4000)));
    else {
      await waitForCount(file, 'SELECT COALESCE(MAX(epoch), 0) FROM checkpoints', lastCheckpoint + 1, () => child.exitCode !== null);
      await new Promise((resolve) => setTimeout(resolve, rng.int(0, 400)));
    }
    const finishedByItself = child.exitCode !== null;
    child.kill('SIGKILL');
    await exited;
    if (finishedByItself || child.signalCode !== 'SIGKILL') {
      // Early stopping or the last epoch came before the kill: check the ending, then start a new chain.
      assert.equal(child.exitCode, 0, `${where}: training ended by itself with code ${child.exitCode}`);
      startChain();
      continue;
    }
    killed++;
    const state = trainState(file, where);
    if (state.models[0]?.state === 'ready') {
      // The run stored its finished model (early stopping or the last epoch) and was killed on its way out.
      assert.deepEqual(state.models.map((m) => m.id), [modelId ?? state.models[0].id], `${where}: models after a finished run`);
      assertSameHistory(JSON.parse(state.models[0].history) as EpochRecord[], uninterrupted.history, `${where}, finished just before the kill`);
      survived++;
      startChain();
      continue;
    }
    assert.ok(state.checkpointEpoch >= lastCheckpoint, `${where}: the checkpoint went back from epoch ${lastCheckpoint} to ${state.checkpointEpoch}`);
    assert.ok(state.models.length <= 1, `${where}: ${state.models.length} models: a resume started a new one`);
    if (state.models[0]) {
      modelId ??= state.models[0].id;
      assert.equal(state.models[0].id, modelId, `${where}: a resume started a new model`);
    }
    lastCheckpoint = state.checkpointEpoch;
    survived++;
  }
  finishChain(`chain ${chain}, after the last kill (checkpoint at epoch ${lastCheckpoint})`);
  console.log(`crash-train: kills survived ${survived}/${killed} over ${chain} chain(s); ${runs - killed} runs finished before their kill; resumed at epoch ${lastCheckpoint + 1} and matched the uninterrupted run`);
  assert.equal(survived, killed);
  assert.ok(killed >= Math.ceil(runs / 2), `only ${killed} of ${runs} runs were killed before finishing`);
});
