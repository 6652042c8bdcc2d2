import { parentPort } from 'node:worker_threads';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { buildAutoencoder } from './autoencoder';
import { batchTensor } from './batches';
import { COMMAND, COUNT, DONE, exchangeViews, FAILED, HELPER_CPU_SECONDS, HELPER_STEP_SECONDS, HELPER_WAIT_SECONDS, LOSS, SEQ, STOP, type FromHelper, type HelperInit } from './gradient-exchange';
import { loadTf } from './tf-backend';
import { threadCpuSeconds } from './thread-cpu';

/**
 * Entry point of the second training thread (see gradient-helper.ts): its own
 * TensorFlow.js instance (the coordinator forces the same backend through
 * FARPOINT_TF_BACKEND), the same autoencoder, and a loop that, for every
 * step, takes the coordinator's current weights and rows, computes the
 * gradient of those rows' mean loss and hands it back. It keeps no state of
 * its own between steps (no optimizer): the coordinator's weights are the
 * only truth, so a resumed run needs nothing from here.
 */
if (!parentPort) throw new Error('train-worker must run as a worker thread');
const port = parentPort;
const post = (message: FromHelper) => port.postMessage(message);
// TensorFlow.js starts while the coordinator is still decoding pixels.
const tfReady = loadTf();
tfReady.catch(() => {});

port.once('message', (init: HelperInit) => {
  serve(init).catch((err: unknown) => {
    post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    const control = new Int32Array(init.exchange, 0, 4);
    Atomics.store(control, DONE, FAILED);
    Atomics.notify(control, DONE);
  });
});

async function serve(init: HelperInit): Promise<void> {
  const { tf, backend } = await tfReady;
  const views = exchangeViews(init.exchange, init.parameters, init.maxRows);
  const { control, stats } = views;
  const ae = buildAutoencoder(tf, init.settings, init.settings.seed);
  const variables = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as Variable);
  const total = variables.reduce((n, v) => n + v.size, 0);
  if (total !== init.parameters) throw new Error(`the helper's autoencoder has ${total} parameters, the coordinator's ${init.parameters}`);
  const set = { ids: new Int32Array(0), pixels: init.pixels, bytesPerImage: init.bytesPerImage };
  post({ type: 'ready', backend });

  // From here on the thread only waits on the shared memory (a synchronous wait: its event loop has nothing to do).
  let seen = 0;
  let answeredAt = -1;
  for (;;) {
    while (Atomics.load(control, SEQ) === seen) Atomics.wait(control, SEQ, seen);
    const commandAt = performance.now();
    if (answeredAt >= 0) stats[HELPER_WAIT_SECONDS]! += (commandAt - answeredAt) / 1000;
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, COMMAND) === STOP) break;
    let offset = 0;
    for (const v of variables) {
      const t = tf.tensor(views.weights.slice(offset, offset + v.size), v.shape, 'float32');
      v.assign(t);
      t.dispose();
      offset += v.size;
    }
    const count = Atomics.load(control, COUNT);
    const x = batchTensor(tf, set, init.settings, views.rows, 0, count);
    const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(x, ae.reconstruct(x)) as Scalar, variables);
    offset = 0;
    for (const v of variables) {
      views.grads.set(grads[v.name]!.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    stats[LOSS] = value.dataSync()[0]!;
    tf.dispose([x, value, ...(Object.values(grads) as Tensor[])]);
    answeredAt = performance.now();
    stats[HELPER_STEP_SECONDS]! += (answeredAt - commandAt) / 1000;
    stats[HELPER_CPU_SECONDS] = threadCpuSeconds() ?? NaN;
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
  ae.dispose();
}
