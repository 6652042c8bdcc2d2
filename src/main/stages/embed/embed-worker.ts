import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../train/tf-backend';

/**
 * A second thread that runs the encoder on its own TensorFlow.js wasm
 * instance, so embedding can use both cores (the wasm backend is
 * single-threaded in Node). The worker is plain JavaScript evaluated from a
 * string: it needs only the tfjs packages (resolved here, loaded with
 * `require`; it starts its backend at once, before it gets any work), so it runs the same from sources, from the bundles in dist/
 * and inside Electron, with no entry point of its own. The encoder travels
 * as Layers artifacts (topology + weights), so the worker computes exactly
 * what the caller's model computes.
 */

/**
 * The worker's source: messages in are {init} once, then {batch}, each with its own pixel rows (so the worker never
 * holds more than the batches queued on it, whatever the pool's size); out are {ready}, {vectors} or {error}.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// tfjs-core + tfjs-layers + the wasm backend: half the start-up of the whole tfjs bundle.
const tf = require(workerData.core);
const layers = require(workerData.layers);
require(workerData.wasm);
// The backend starts while the caller is still preparing the model and pixels.
const backendReady = tf.setBackend('wasm').then(async (ok) => {
  if (!ok) throw new Error("tf.setBackend('wasm') failed in the embedding worker");
  await tf.ready();
});
backendReady.catch(() => {});
let model = null;
let shape = null;
async function init(message) {
  await backendReady;
  model = await layers.loadLayersModel(tf.io.fromMemory(message.artifacts));
  shape = message.inputShape;
}
function encode(pixels) {
  const n = pixels.length / (shape[0] * shape[1] * shape[2]);
  const values = new Float32Array(pixels.length);
  for (let k = 0; k < values.length; k++) values[k] = pixels[k] / 255;
  const x = tf.tensor4d(values, [n, shape[0], shape[1], shape[2]]);
  // apply, not predict: predict cuts the batch into slices of 32 and concatenates them (a large share of the CPU time).
  const z = tf.tidy(() => model.apply(x));
  const vectors = z.dataSync().slice();
  tf.dispose([x, z]);
  return vectors;
}
parentPort.on('message', (message) => {
  if (message.type === 'init') {
    init(message).then(
      () => parentPort.postMessage({ type: 'ready' }),
      (err) => parentPort.postMessage({ type: 'error', message: String(err && err.stack || err) }),
    );
  } else if (message.type === 'batch') {
    try {
      const cpu0 = process.cpuUsage();
      const vectors = encode(message.pixels);
      const cpu = process.cpuUsage(cpu0);
      parentPort.postMessage({ type: 'vectors', vectors, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, [vectors.buffer]);
    } catch (err) {
      parentPort.postMessage({ type: 'error', message: String(err && err.stack || err) });
    }
  }
});
`;

type FromWorker =
  | { type: 'ready' }
  | { type: 'vectors'; vectors: Float32Array; cpuSeconds: number }
  | { type: 'error'; message: string };

/** Serialises a Layers model to in-memory artifacts (topology and weights) another tfjs instance can load. */
export async function modelArtifacts(tf: Tf, model: LayersModel): Promise<unknown> {
  let artifacts: unknown = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return artifacts;
}

/**
 * One encoder thread. `start` resolves once the worker has its model; `encode`
 * runs one batch of pixel rows there. `close` always
 * terminates it. Any failure rejects, and callers fall back to their own thread.
 */
export class EmbedWorker {
  private readonly worker: Worker;
  /** Batches posted and not yet answered, oldest first (the worker answers in order). */
  private pending: { resolve(v: { vectors: Float32Array; cpuSeconds: number }): void; reject(e: Error): void }[] = [];
  private readyWaiter: { resolve(): void; reject(e: Error): void } | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** CPU seconds the worker spent encoding (its own thread's clock). */
  cpuSeconds = 0;

  constructor() {
    // Resolved from the packages the app itself loads, so the worker runs the same tfjs-core, layers and wasm builds.
    const fromApp = createRequire(import.meta.url);
    const fromTfjs = createRequire(fromApp.resolve('@tensorflow/tfjs'));
    const wasm = fromApp.resolve('@tensorflow/tfjs-backend-wasm');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { core: createRequire(wasm).resolve('@tensorflow/tfjs-core'), layers: fromTfjs.resolve('@tensorflow/tfjs-layers'), wasm },
      stdout: false,
      stderr: true,
      execArgv: [],
    });
    // The worker's stderr would otherwise interleave with the caller's; it only ever says why it failed.
    this.worker.stderr?.resume();
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`embedding worker exited with code ${code}`));
    });
  }

  /** A new worker, or null where one cannot be started (the caller then works alone). */
  static tryStart(): EmbedWorker | null {
    try {
      return new EmbedWorker();
    } catch {
      return null;
    }
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') {
      this.readyWaiter?.resolve();
      this.readyWaiter = null;
    } else if (m.type === 'vectors') {
      this.cpuSeconds += m.cpuSeconds;
      this.pending.shift()?.resolve({ vectors: m.vectors, cpuSeconds: m.cpuSeconds });
    } else {
      this.fail(new Error(`embedding worker: ${m.message}`));
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.readyWaiter?.reject(err);
    this.readyWaiter = null;
    for (const p of this.pending.splice(0)) p.reject(err);
  }

  /** Sends the model; resolves when the worker can encode. */
  start(artifacts: unknown, inputShape: [number, number, number]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.readyWaiter = { resolve, reject };
      this.worker.postMessage({ type: 'init', artifacts, inputShape });
    });
  }

  /** Batches posted and not yet answered. */
  get queued(): number {
    return this.pending.length;
  }

  /**
   * Encodes whole pixel rows (uint8, the model's input shape each) on the worker; batches queue there and are
   * answered in order. The rows are copied and the copy moves to the worker, so the caller may free its own.
   */
  encode(pixels: Uint8Array): Promise<{ vectors: Float32Array; cpuSeconds: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const rows = pixels.slice();
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage({ type: 'batch', pixels: rows }, [rows.buffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fail(new Error('embedding worker closed'));
    await this.worker.terminate();
  }
}
