import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import type { AnnotationRecord, DuplicateReport, JobInfo, LatentMap, ProjectStatus, QueueEntry, QueuePage } from '../../src/shared/domain';
import { writeShapeImages } from '../helpers/shape-images';
import { tempDir } from '../helpers/temp';
import { assertAcknowledgedPresent, assertIntegrity } from './support/project-checks';
import { startServerProcess, type ServerProcess } from './support/server-process';

/** The soak: the whole pipeline at 20,000 samples, in CI as in the full soak run. */
const SAMPLES = 20_000;
const LABELS = 50;
/** What the back end may hold at its worst over the whole pipeline, every thread counted (the compute worker's, sharp's, tfjs'). */
const PEAK_RSS_LIMIT = 1_024 * 2 ** 20;
/** Small and quick where the pipeline allows it: the issue is about the number of samples, not the network. */
const TRAINING = { epochs: 1, inputSize: 16, latentDim: 8, batchSize: 32, maxTrainingImages: 1_000, seed: 7 };

const MiB = 2 ** 20;

async function call<T>(server: ServerProcess, name: string, arg: unknown = {}): Promise<T> {
  const answer = await server.call(name, arg);
  assert.equal(answer.status, 200, `${name} answered ${answer.status}: ${answer.body.error}`);
  return answer.body.result as T;
}

async function finish(server: ServerProcess, started: JobInfo): Promise<JobInfo> {
  for (;;) {
    const job = await call<JobInfo>(server, 'getJob', { id: started.id });
    if (job.state !== 'queued' && job.state !== 'running') {
      assert.equal(job.state, 'done', `${started.kind} job: ${job.error ?? job.state}`);
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asks until `ready` says the answer is complete (the request answers 'computing' while its job runs). */
async function until<T>(server: ServerProcess, name: string, arg: unknown, ready: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await call<T>(server, name, arg);
    if (ready(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const firstPageReady = (page: QueuePage) => !page.computing && page.entries.length === Math.min(LABELS, page.total);

test(`the whole pipeline at ${SAMPLES.toLocaleString('en')} samples through the app: import, train, embed, map, queue, duplicates, ${LABELS} labels, reopen`, { timeout: 1_800_000 }, async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'images');
  const file = path.join(dir, 'pipeline.farpoint');
  const cpuStart = process.cpuUsage();
  const written = await writeShapeImages(folder, SAMPLES, { minSize: 32, maxSize: 48, seed: 23 });
  const generateCpu = process.cpuUsage(cpuStart);
  Project.create(file).close();

  let server = await startServerProcess(file);
  const steps: string[] = [`generated ${SAMPLES} PNGs (${written.nearCopies} near-copies) in ${((generateCpu.user + generateCpu.system) / 1e6).toFixed(1)} s CPU`];
  const labels = new Map<number, number>();
  const acknowledged: AnnotationRecord[] = [];
  let firstPage: QueueEntry[] = [];
  let usage: { peakRssBytes: number; cpuSeconds: number };
  try {
    const imported = await finish(server, await call<JobInfo>(server, 'importFolder', { folder }));
    let status = await call<ProjectStatus>(server, 'getStatus');
    assert.equal(status.samples, SAMPLES, `import: ${JSON.stringify(imported.result).slice(0, 300)}`);
    assert.equal(status.active, SAMPLES);
    steps.push(`imported ${status.samples}`);

    // Training on a capped sample, then (the app's default) embedding every sample with the new model, in one job.
    const trained = await finish(server, await call<JobInfo>(server, 'startTraining', TRAINING));
    const result = trained.result as { modelId: number; trainImages: number; valImages: number; poolImages: number; embedding?: { count: number; unreadable: unknown[] } };
    assert.equal(result.trainImages + result.valImages, TRAINING.maxTrainingImages, 'training read only its capped sample');
    assert.equal(result.poolImages, SAMPLES);
    assert.equal(result.embedding?.count, SAMPLES, 'every sample embedded');
    assert.deepEqual(result.embedding?.unreadable, []);
    status = await call<ProjectStatus>(server, 'getStatus');
    assert.equal(status.embedded, SAMPLES);
    assert.equal(status.currentModelId, result.modelId);
    steps.push(`trained model ${result.modelId} on ${TRAINING.maxTrainingImages} of ${SAMPLES}, embedded ${result.embedding?.count}`);

    const map = await until<LatentMap>(server, 'getLatentMap', {}, (m) => m.state === 'ready');
    assert.equal(map.count, SAMPLES, 'the map has a point per sample');
    assert.equal(new Set(map.ids).size, SAMPLES);
    assert.ok(map.x.every(Number.isFinite) && map.y.every(Number.isFinite), 'every map point is finite');
    steps.push(`map of ${map.count} points`);

    const queue = await until<QueuePage>(server, 'getQueue', { limit: LABELS }, firstPageReady);
    assert.equal(queue.strategy, 'fps');
    assert.equal(queue.total, SAMPLES);
    assert.equal(queue.unembedded, 0);
    assert.deepEqual(queue.entries.map((e) => e.rank), Array.from({ length: LABELS }, (_, i) => i + 1));
    steps.push(`first FPS page of ${queue.entries.length} of ${queue.total}`);

    await finish(server, await call<JobInfo>(server, 'buildNeighbourGraph', { k: 10 }));
    const duplicates = await call<DuplicateReport>(server, 'duplicateClusters', {});
    assert.equal(duplicates.graphState, 'ready');
    assert.equal(duplicates.graph?.count, SAMPLES, 'the neighbour graph covers every sample');
    assert.ok(duplicates.totalClusters > 0, `near-copies were written (${written.nearCopies}) and no cluster was found`);
    steps.push(`neighbour graph of ${duplicates.graph?.count} (${duplicates.graph?.method}, recall ${duplicates.graph?.recall}), ${duplicates.totalClusters} clusters at the proposed threshold`);

    // Labeling as the Label view does: the next sample, its angle, its rank and the strategy.
    for (let i = 0; i < LABELS; i++) {
      const next = await call<QueueEntry | null>(server, 'nextToLabel', {});
      assert.ok(next, `nothing left to label after ${i} labels`);
      assert.ok(!labels.has(next.sampleId), `sample ${next.sampleId} offered again after it was labeled`);
      const angle = (i * 37 + 11) % 360;
      acknowledged.push(await call<AnnotationRecord>(server, 'saveLabel', { sampleId: next.sampleId, angle, queueRank: next.rank, strategy: 'fps' }));
      labels.set(next.sampleId, angle);
    }
    const after = await until<QueuePage>(server, 'getQueue', { limit: LABELS }, firstPageReady);
    assert.equal(after.total, SAMPLES - LABELS, 'the queue no longer counts the labeled samples');
    assert.deepEqual(after.entries.filter((e) => labels.has(e.sampleId)), [], 'labeled samples in the queue');
    firstPage = after.entries;
    status = await call<ProjectStatus>(server, 'getStatus');
    assert.equal(status.labeled, LABELS);
    usage = await server.usage();
  } finally {
    await server.stop();
  }

  const project = Project.open(file);
  try {
    assertIntegrity(project.db, 'after the pipeline');
    const stored = project.db.prepare('SELECT sample_id, angle FROM current_labels ORDER BY sample_id').all() as { sample_id: number; angle: number }[];
    assert.deepEqual(stored, [...labels].sort((a, b) => a[0] - b[0]).map(([sample_id, angle]) => ({ sample_id, angle })), 'labels stored exactly');
    assertAcknowledgedPresent(project.db, acknowledged, 'labels saved through the app');
  } finally {
    project.close();
  }

  let reopenedCpu = 0;
  // Reopened by a new back end, the project serves the same queue: the labeled samples left out, the same order.
  server = await startServerProcess(file);
  try {
    const reopened = await until<QueuePage>(server, 'getQueue', { limit: LABELS }, firstPageReady);
    assert.equal(reopened.total, SAMPLES - LABELS);
    assert.deepEqual(reopened.entries.map((e) => e.sampleId), firstPage.map((e) => e.sampleId), 'the reopened queue differs from the one before');
    const next = await call<QueueEntry | null>(server, 'nextToLabel', {});
    assert.equal(next?.sampleId, firstPage[0]?.sampleId);
    reopenedCpu = (await server.usage()).cpuSeconds;
  } finally {
    await server.stop();
  }

  const testCpu = process.cpuUsage(cpuStart);
  console.log(
    `pipeline-20k: ${steps.join('; ')}; back end peak RSS ${(usage.peakRssBytes / MiB).toFixed(0)} MiB (limit ${PEAK_RSS_LIMIT / MiB}), ` +
      `CPU ${usage.cpuSeconds.toFixed(1)} s in the back end, ${reopenedCpu.toFixed(1)} s in the reopened one, ${((testCpu.user + testCpu.system) / 1e6).toFixed(1)} s in the test process`,
  );
  assert.ok(usage.peakRssBytes <= PEAK_RSS_LIMIT, `back end peak RSS ${(usage.peakRssBytes / MiB).toFixed(0)} MiB > ${PEAK_RSS_LIMIT / MiB} MiB`);
});
