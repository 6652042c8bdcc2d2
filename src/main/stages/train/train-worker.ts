import { parentPort } from 'node:worker_threads';
import type { Tensor } from '@tensorflow/tfjs';
import { buildTrainee } from './build-trainee';
import { adamUpdate } from './flat-adam';
import { assignVariablesFrom, copyGradientsInto, parameterCount } from './flat-weights';
import {
  ADAM_DONE, ADAM_STEP, COMMAND, COUNT, DONE, exchangeViews, FAILED, HELPER_CPU_SECONDS, HELPER_STEP_SECONDS, HELPER_WAIT_SECONDS, helperShareStart, LOSS, OWN_READY, ROWS, SEQ, STOP,
  type FromHelper, type HelperInit,
} from './gradient-exchange';
import { loadTf } from './tf-backend';
import { threadCpuSeconds } from './thread-cpu';

/**
 * Entry point of the second training thread (see gradient-helper.ts): its own
 * TensorFlow.js instance (the coordinator forces the same backend through
 * FARPOINT_TF_BACKEND), the same model (either encoder kind), and a loop that, for every
 * step, loads the current weights from the shared memory, computes the
 * gradient of its rows' mean loss and puts it there, then, once the
 * coordinator's gradient is there too, steps Adam on its half of the shared
 * weights and moments. It keeps no state of its own between steps: the
 * shared memory the coordinator owns is the only truth, so a resumed run
 * needs nothing from here.
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
    const control = new Int32Array(init.exchange, 0, ADAM_DONE + 1);
    Atomics.store(control, DONE, FAILED);
    Atomics.notify(control, DONE);
    Atomics.notify(control, ADAM_DONE);
  });
});

async function serve(init: HelperInit): Promise<void> {
  const { tf, backend } = await tfReady;
  const views = exchangeViews(init.exchange, init.parameters, init.maxRows);
  const { control, stats } = views;
  const kind = init.settings.encoder ?? 'autoencoder';
  const model = buildTrainee(tf, kind, init.settings);
  const { variables } = model;
  const total = parameterCount(variables);
  if (total !== init.parameters) throw new Error(`the helper's ${kind} has ${total} parameters, the coordinator's ${init.parameters}`);
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
    assignVariablesFrom(tf, variables, views.adam.weights);
    const count = Atomics.load(control, COUNT);
    // The same group the coordinator's model would form for these rows: the batch's second half, at this Adam step.
    const group = model.groupLoss(set, views.rows, 0, count, Atomics.load(control, ADAM_STEP));
    const { value, grads } = tf.variableGrads(() => group.loss(), variables);
    group.dispose();
    copyGradientsInto(variables, grads, views.helperGrads);
    stats[LOSS] = value.dataSync()[0]!;
    tf.dispose([value, ...(Object.values(grads) as Tensor[])]);
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);

    // Adam on this thread's half of the weights, once the coordinator's gradient is in place too.
    const waitFrom = performance.now();
    while (Atomics.load(control, OWN_READY) !== seen) {
      if (Atomics.load(control, COMMAND) === STOP) {
        model.dispose();
        return;
      }
      Atomics.wait(control, OWN_READY, Atomics.load(control, OWN_READY));
    }
    const waited = performance.now() - waitFrom;
    stats[HELPER_WAIT_SECONDS]! += waited / 1000;
    const rows = Atomics.load(control, ROWS);
    const halves = { a: views.ownGrads, shareA: (rows - count) / rows, b: views.helperGrads, shareB: count / rows };
    adamUpdate(views.adam, halves, init.settings.learningRate, Atomics.load(control, ADAM_STEP), helperShareStart(total), total);
    answeredAt = performance.now();
    stats[HELPER_STEP_SECONDS]! += (answeredAt - commandAt - waited) / 1000;
    stats[HELPER_CPU_SECONDS] = threadCpuSeconds() ?? NaN;
    Atomics.store(control, ADAM_DONE, seen);
    Atomics.notify(control, ADAM_DONE);
  }
  model.dispose();
}
