import assert from 'node:assert/strict';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import type { FarpointEvent } from '../../src/shared/contract';
import type { AutoencoderInfo, JobInfo, TrainProgressExtra, TrainResult } from '../../src/shared/domain';
import { importFolder } from '../../src/main/import/import-folder';
import { Project } from '../../src/main/project/project';
import { startBackend } from '../helpers/backend';
import { runCli, spawnCli } from '../helpers/cli';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

async function projectWithImages(name: string, count: number): Promise<string> {
  const images = path.join(dir, `${name}-images`);
  await writeImageFolder(images, count, 32);
  const project = Project.create(path.join(dir, `${name}.farpoint`));
  await importFolder(project.db, images);
  const file = project.path;
  project.close();
  return file;
}

test('a training job runs in the compute worker: the main event loop never stalls over 100 ms, progress carries the training figures', async () => {
  const file = await projectWithImages('loop', 48);
  const backend = await startBackend(file);
  const progress: TrainProgressExtra[] = [];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  // Measured from the first training batch to the end of the job (embedding included): the window in
  // which TensorFlow works flat out; starting the worker thread itself is not training.
  const unsubscribe = backend.session.events.subscribe((event: FarpointEvent) => {
    if (event.type === 'job' && event.job.kind === 'train' && event.job.progress.extra?.phase === 'training') {
      if (progress.length === 0) delay.enable();
      progress.push(event.job.progress.extra as unknown as TrainProgressExtra);
    }
  });
  try {
    const started = await backend.call('startTraining', { epochs: 3, inputSize: 16, latentDim: 4, batchSize: 8, patience: 10 });
    assert.equal(started.status, 200, started.body.error);
    const job = await backend.session.jobs.waitFor((started.body.result as JobInfo).id);
    delay.disable();
    assert.equal(job.state, 'done', job.error ?? '');
    assert.ok(delay.count > 0, 'the event loop was sampled while training ran');
    const maxMs = delay.max / 1e6;
    assert.ok(maxMs < 100, `the main event loop was blocked for ${maxMs.toFixed(0)} ms`);

    const result = job.result as TrainResult;
    assert.equal(result.epochs, 3);
    assert.equal(result.embedding?.count, 48, 'the job embedded every sample with the new model');
    const last = progress[progress.length - 1]!;
    assert.ok(progress.length >= 3);
    assert.equal(last.epochs, 3);
    assert.ok(last.epoch >= 1 && last.batch >= 1 && last.batches >= 1);
    assert.ok(typeof last.loss === 'number' && (last.imagesPerSecond ?? 0) > 0 && last.etaSeconds !== null);
    assert.equal(last.backend, 'wasm');
    assert.ok(last.valLosses.length >= 1 && last.trainLosses.length === last.valLosses.length);
    assert.match(last.strip ?? '', /^data:image\/png;base64,/);

    const models = await backend.call('listModels');
    const [model] = models.body.result as AutoencoderInfo[];
    assert.equal(model!.current, true);
    assert.equal(model!.embedded, 48);
    const map = await backend.call('getLatentMap');
    assert.equal((map.body.result as { count: number }).count, 48);
    const info = await backend.call('getBackendInfo');
    assert.equal((info.body.result as { backend: string }).backend, 'wasm');
    const bad = await backend.call('startTraining', { inputSize: 50 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error ?? '', /inputSize: the input size must be a multiple of 16/);
  } finally {
    unsubscribe();
    await backend.close();
  }
});

test('training killed with SIGKILL after a checkpoint resumes from that epoch on the next run', async () => {
  const file = await projectWithImages('killed', 40);
  const args = ['train', file, '--size', '16', '--latent', '4', '--batch', '8', '--patience', '100', '--json'];
  const child = spawnCli([...args, '--epochs', '200']);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let checkpointEpoch = 0;
  try {
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const probe = Project.open(file);
      const row = probe.db.prepare('SELECT epoch FROM checkpoints').get() as { epoch: number } | undefined;
      probe.close();
      if (row) {
        child.kill('SIGKILL');
        break;
      }
    }
  } finally {
    await exited;
  }
  assert.equal(child.signalCode, 'SIGKILL', 'the training run was killed mid-way');
  const probe = Project.open(file);
  checkpointEpoch = (probe.db.prepare('SELECT epoch FROM checkpoints').get() as { epoch: number }).epoch;
  assert.equal((probe.db.prepare('SELECT state FROM models').get() as { state: string }).state, 'training');
  probe.close();
  assert.ok(checkpointEpoch >= 1 && checkpointEpoch < 200);

  const rerun = runCli([...args, '--epochs', String(checkpointEpoch + 1)], { FARPOINT_TF_BACKEND: 'wasm' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const result = JSON.parse(rerun.stdout) as TrainResult;
  assert.equal(result.resumedFromEpoch, checkpointEpoch + 1);
  assert.equal(result.epochs, checkpointEpoch + 1);
  assert.equal(result.history.length, checkpointEpoch + 1, 'the killed run’s epochs are kept in the history');
  assert.match(rerun.stderr, /backend: wasm/);
});
