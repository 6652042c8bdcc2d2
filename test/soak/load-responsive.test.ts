import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { isRequestName } from '../../src/shared/contract';
import type { AnnotationRecord, JobInfo, LatentMap } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { createLoadProject } from './support/load-project';
import { assertAcknowledgedPresent } from './support/project-checks';
import { SeededRandom } from './support/seeded-random';
import { startServerProcess, type ServerProcess } from './support/server-process';
import { FULL_SOAK, SOAK_SEED } from './support/soak-counts';

const SAMPLES = FULL_SOAK ? 100_000 : 10_000;

/** What the map requests of the load test answered (checked by the second test). */
const mapAnswers: LatentMap[] = [];
/** The server's map jobs after the load test (the PCA runs there, not on the main thread). */
let mapJobs: JobInfo[] = [];

interface Timing {
  request: string;
  ms: number;
}

async function waitForJob(server: ServerProcess, id: string): Promise<JobInfo> {
  for (;;) {
    const job = (await server.call('getJob', { id })).body.result as JobInfo;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a user does while a job runs: browse pages and thumbnails, open samples, look at the map and the queue, label. */
async function userAction(server: ServerProcess, rng: SeededRandom, acknowledged: AnnotationRecord[], withMap: boolean): Promise<Timing> {
  const id = rng.int(1, SAMPLES);
  const roll = rng.int(0, 9);
  const started = performance.now();
  let request: string;
  let status: number;
  if (roll <= 2) {
    request = 'saveLabel';
    const answer = await server.call(request, { sampleId: id, angle: rng.int(0, 359), queueRank: 0, strategy: 'fps' });
    status = answer.status;
    if (status === 200) acknowledged.push(answer.body.result as AnnotationRecord);
  } else if (roll === 3) {
    request = 'listSamples';
    status = (await server.call(request, { at: rng.int(0, SAMPLES - 200), limit: 200, status: rng.pick(['all', 'unlabeled', 'labeled']) })).status;
  } else if (roll === 4) {
    request = 'getSample';
    status = (await server.call(request, { id })).status;
  } else if (roll <= 6) {
    request = 'thumbnail';
    const res = await fetch(`${server.url}/media/thumb/${id}`, { headers: { Authorization: `Bearer ${server.token}` } });
    await res.arrayBuffer();
    status = res.status;
  } else if (roll === 7) {
    request = 'getStatus';
    status = (await server.call(request)).status;
  } else {
    // The queue, and in the map phase the map, where this build has them.
    const candidates = [...(withMap ? ['getLatentMap'] : ['getQueue', 'nextToLabel'])].filter(isRequestName);
    request = candidates.length > 0 ? rng.pick(candidates) : 'getStatus';
    const answer = await server.call(request, request === 'getQueue' ? { limit: 50 } : {});
    status = answer.status;
    if (request === 'getLatentMap' && status === 200) mapAnswers.push(answer.body.result as LatentMap);
  }
  assert.equal(status, 200, `${request} answered ${status} while the job ran`);
  return { request, ms: performance.now() - started };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Window {
  timings: Timing[];
  /** The server's 10 ms ticks' lateness during the window's actions (ms). */
  lateness: number[];
  /** The same ticks' own main-thread CPU within each gap (ms; empty without a per-thread CPU clock). */
  cpu: number[];
}

function stats(values: number[]): { p50: number; p99: number; max: number; samples: number } {
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(0, ...values), samples: values.length };
}

function delayOf(w: Window): ReturnType<typeof stats> {
  return stats(w.lateness);
}

/**
 * What the assertions judge: the main thread's own CPU per tick, so time the
 * OS gave other processes (the compute worker, the test itself, a loaded
 * machine) is not counted as blocking; wall-clock lateness where there is no
 * per-thread CPU clock.
 */
function blockingOf(w: Window): ReturnType<typeof stats> {
  return stats(w.cpu.length > 0 ? w.cpu : w.lateness);
}

function describe(name: string, w: Window): string {
  const byRequest = new Map<string, number[]>();
  for (const t of w.timings) byRequest.set(t.request, [...(byRequest.get(t.request) ?? []), t.ms]);
  const perRequest = [...byRequest].map(([request, ms]) => `${request} p50 ${percentile(ms, 50).toFixed(1)} / p99 ${percentile(ms, 99).toFixed(1)} ms (${ms.length})`);
  const delay = delayOf(w);
  const blocking = blockingOf(w);
  return (
    `load: ${name}: server event-loop delay p50 ${delay.p50.toFixed(1)} / p99 ${delay.p99.toFixed(1)} / max ${delay.max.toFixed(1)} ms (${delay.samples} ticks), ` +
    `main-thread CPU per tick p99 ${blocking.p99.toFixed(1)} / max ${blocking.max.toFixed(1)} ms; ${perRequest.join('; ')}`
  );
}

/** Runs user actions until `until()` says stop, and returns their latencies and the server's event-loop delay meanwhile. */
async function measure(server: ServerProcess, rng: SeededRandom, acknowledged: AnnotationRecord[], until: () => boolean): Promise<Window> {
  server.resetDelay();
  const timings: Timing[] = [];
  while (!until()) timings.push(await userAction(server, rng, acknowledged, false));
  const { lateness, cpuTicks } = await server.delay();
  return { timings, lateness, cpu: cpuTicks };
}

/** Embedding jobs of one model, one after another: a background load that lasts as long as a window needs it. */
class EmbeddingJobs {
  job: JobInfo | null = null;
  started = 0;
  constructor(
    private readonly server: ServerProcess,
    private readonly modelId: number,
  ) {}

  /** Whether the current job is in its embedding phase (past loading, not yet ended). */
  async embedding(): Promise<boolean> {
    if (!this.job) return false;
    this.job = (await this.server.call('getJob', { id: this.job.id })).body.result as JobInfo;
    const { state, progress } = this.job;
    return state === 'running' && progress.unit === 'images' && progress.message.startsWith('embedding') && progress.done < progress.total;
  }

  /** Waits until a job is embedding, starting another when the last one ended. */
  async untilEmbedding(): Promise<void> {
    for (;;) {
      if (await this.embedding()) return;
      if (!this.job || (this.job.state !== 'queued' && this.job.state !== 'running')) {
        if (this.job) assert.equal(this.job.state, 'done', this.job.error ?? '');
        assert.ok(this.started < 60, `${this.started} embedding jobs ran and the windows still had too few requests`);
        const answer = await this.server.call('startEmbedding', { modelId: this.modelId });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        this.job = answer.body.result as JobInfo;
        this.started++;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Runs user actions one at a time while embedding jobs run (another starts whenever one ends) until `enough`. An
 * action counts, with the server's ticks during it, only when a job was embedding both before and after it: the
 * windows do not depend on how fast the job runs, and what front ends and caches do when an embedding ends
 * (reloading the queue, follow-up jobs) is not "while the job runs".
 */
async function measureDuringJobs(
  server: ServerProcess,
  jobs: EmbeddingJobs,
  rng: SeededRandom,
  acknowledged: AnnotationRecord[],
  withMap: boolean,
  enough: (timings: Timing[]) => boolean,
): Promise<Window> {
  const window: Window = { timings: [], lateness: [], cpu: [] };
  while (!enough(window.timings)) {
    await jobs.untilEmbedding();
    server.resetDelay();
    const timing = await userAction(server, rng, acknowledged, withMap);
    const { lateness, cpuTicks } = await server.delay();
    if (!(await jobs.embedding())) continue;
    window.timings.push(timing);
    window.lateness.push(...lateness);
    window.cpu.push(...cpuTicks);
  }
  return window;
}

const windows: { quiet?: Window; busy?: Window; map?: Window } = {};

test(`a ${SAMPLES.toLocaleString('en')}-sample project: browsing, the queue and labeling stay responsive while an embedding job runs (event-loop delay measured in the server process)`, async () => {
  const file = path.join(tempDir(), 'load.farpoint');
  const buildStart = performance.now();
  const modelId = await createLoadProject(file, SAMPLES);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const server = await startServerProcess(file);
  const rng = new SeededRandom(SOAK_SEED + 5);
  const acknowledged: AnnotationRecord[] = [];
  try {
    // A first embedding makes the model current, so the map has points while the second one runs.
    const first = await server.call('startEmbedding', { modelId });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const firstDone = await waitForJob(server, (first.body.result as JobInfo).id);
    assert.equal(firstDone.state, 'done', firstDone.error ?? '');

    const idleUntil = performance.now() + 1500;
    const idle = await measure(server, rng, acknowledged, () => performance.now() > idleUntil);

    // While the first of the next jobs embeds, no requests: any stall is the job's own (it would be seconds if it ran
    // on the main thread). Then browsing, opening samples, thumbnails, the queue and labeling; then the same with the map.
    const jobs = new EmbeddingJobs(server, modelId);
    const jobStart = performance.now();
    await jobs.untilEmbedding();
    server.resetDelay();
    windows.quiet = { timings: [], lateness: [], cpu: [] };
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { lateness, cpuTicks } = await server.delay();
      if (!(await jobs.embedding())) break;
      windows.quiet.lateness = lateness;
      windows.quiet.cpu = cpuTicks;
    }
    windows.busy = await measureDuringJobs(server, jobs, rng, acknowledged, false, (timings) => timings.length >= 100);
    windows.map = await measureDuringJobs(server, jobs, rng, acknowledged, true, (timings) => timings.length >= 40 && timings.filter((t) => t.request === 'getLatentMap').length >= 4);
    const last = await waitForJob(server, jobs.job!.id);
    const jobSeconds = (performance.now() - jobStart) / 1000;
    assert.equal(last.state, 'done', last.error ?? '');
    mapJobs = ((await server.call('listJobs')).body.result as JobInfo[]).filter((j) => j.kind === 'map');
    console.log(
      [
        `load: ${SAMPLES} samples (built in ${buildSeconds.toFixed(0)} s); ${jobs.started} embedding jobs in ${jobSeconds.toFixed(1)} s`,
        describe('idle, browsing and labeling', idle),
        describe('during the embedding job, no requests', windows.quiet),
        describe('during the embedding job, browsing, queue and labeling', windows.busy),
        describe('during the embedding job, with the latent map', windows.map),
      ].join('\n'),
    );
    // Judged in the main thread's own CPU per tick (blockingOf): an embedding on the main thread would block it for
    // seconds; the wall-clock figures printed above are what the 100 ms target is judged on, on an idle machine.
    assert.ok(blockingOf(windows.quiet).p99 < 250, `main-thread CPU per tick p99 ${blockingOf(windows.quiet).p99.toFixed(1)} ms while the job ran alone: is it on the main thread?`);
    assert.ok(blockingOf(windows.busy).p99 < 1000, `main-thread CPU per tick p99 ${blockingOf(windows.busy).p99.toFixed(1)} ms while browsing and labeling during the job`);
  } finally {
    await server.stop();
  }
  const project = Project.open(file);
  try {
    assertAcknowledgedPresent(project.db, acknowledged, 'labels saved during the embedding job');
  } finally {
    project.close();
  }
});

// The map's PCA runs in a map job in the compute worker (started when the first embedding ends) and is stored per
// model; a map request reads it and sends 100,000 points as bytes (was: the PCA and ~300 ms of JSON on the main
// thread). Judged like the others in main-thread CPU per tick: under 250 ms, or, when the same job's window without map
// requests already blocked longer than that (other requests), no longer than that window: the map adds no stall of its
// own. The wall-clock figures printed above are what the 100 ms target is judged on.
test('the latent map keeps the server responsive too (main-thread CPU per event-loop tick p99 under 250 ms with map requests, or no worse than without them)', () => {
  assert.ok(windows.map && windows.busy, 'the load test above did not run');
  assert.ok(mapAnswers.length > 0, 'no map request was answered while a job ran');
  assert.ok(mapJobs.some((j) => j.state === 'done'), 'a map job computed the projection in the compute worker');
  for (const answer of mapAnswers) {
    assert.equal(answer.state, 'ready', 'the map was computed off the main thread before the second embedding');
    assert.equal(answer.count, SAMPLES);
    assert.ok(answer.x instanceof Float32Array, 'the map travelled as bytes');
  }
  const bound = Math.max(250, blockingOf(windows.busy).p99 * 1.25);
  assert.ok(
    blockingOf(windows.map).p99 < bound,
    `main-thread CPU per tick p99 ${blockingOf(windows.map).p99.toFixed(1)} ms with getLatentMap on ${SAMPLES} samples (bound ${bound.toFixed(0)} ms; without map requests ${blockingOf(windows.busy).p99.toFixed(1)} ms)`,
  );
});
