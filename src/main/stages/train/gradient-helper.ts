import type { Worker } from 'node:worker_threads';
import { startEntryWorker } from '../../core/runtime/entry-worker';
import { waitForChange } from './atomic-wait';
import type { AdamMemory } from './flat-adam';
import {
  ADAM_DONE, ADAM_STEP, COMMAND, COUNT, createExchange, DONE, exchangeViews, FAILED, HELPER_CPU_SECONDS, HELPER_STEP_SECONDS, HELPER_WAIT_SECONDS, LOSS, OWN_READY, ROWS, SEQ, STEP, STOP,
  type ExchangeViews, type FromHelper, type HelperInit,
} from './gradient-exchange';
import type { PixelSet } from './pixels';


/** Raised when the second training thread cannot start or stops; the run's last checkpoint stays resumable. */
export class TrainingHelperFailed extends Error {
  constructor(what: string) {
    super(`${what}; the last finished epoch is saved, so running again resumes from it (FARPOINT_TRAIN_THREADS=1 trains on one thread)`);
    this.name = 'TrainingHelperFailed';
  }
}

/**
 * The coordinator's handle on the second training thread (train-worker.ts).
 * `post` hands it its rows (the weights are already in the shared memory);
 * the coordinator then computes its own half, puts it in `ownGrads`, says so
 * (`ownGradientReady`), `collect`s the helper's gradient, steps Adam on its
 * half of the weights and waits for the helper's half (`helperStepped`).
 * Waiting is asynchronous (waitForChange), so the coordinator's event
 * loop keeps receiving cancel requests and notices at once if the helper dies.
 */
export class GradientHelper {
  /** The thread itself (tests end it to check that a dying helper is reported). */
  readonly worker: Worker;
  private views: ExchangeViews | null = null;
  private seq = 0;
  private failure: Error | null = null;
  private closed = false;
  private readonly failed: Promise<Error>;
  private failedWith: (err: Error) => void = () => {};
  private readyWaiter: ((backend: string) => void) | null = null;
  /** Seconds the coordinator waited for the helper's gradient (its share of the barrier). */
  coordinatorWaitSeconds = 0;

  /** Starts the thread at once (its TensorFlow.js loads meanwhile); `init` then hands it the model's shape and the pixels. */
  constructor(backend: string) {
    this.failed = new Promise((resolve) => {
      this.failedWith = resolve;
    });
    this.worker = startEntryWorker('train-worker', { env: { ...process.env, FARPOINT_TF_BACKEND: backend }, stdout: false, stderr: true });
    // Its stderr would interleave with the caller's; failures arrive as messages or error events.
    this.worker.stderr?.resume();
    this.worker.on('message', (m: FromHelper) => {
      if (m.type === 'ready') {
        this.readyWaiter?.(m.backend);
        this.readyWaiter = null;
      } else this.fail(new TrainingHelperFailed(`the second training thread failed: ${m.message.split('\n')[0]}`));
    });
    this.worker.on('error', (err) => this.fail(new TrainingHelperFailed(`the second training thread failed: ${err.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new TrainingHelperFailed(`the second training thread stopped unexpectedly (exit code ${code})`));
    });
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.failedWith(err);
    // Wakes `collect` or `helperStepped` if it is waiting.
    if (this.views) {
      Atomics.notify(this.views.control, DONE);
      Atomics.notify(this.views.control, ADAM_DONE);
    }
  }

  /** Sends the model's size and the pixel rows; resolves when the helper can compute, with its backend. */
  async init(settings: HelperInit['settings'], set: PixelSet, parameters: number, maxRows: number): Promise<string> {
    if (this.failure) throw this.failure;
    const exchange = createExchange(parameters, maxRows);
    this.views = exchangeViews(exchange, parameters, maxRows);
    const ready = new Promise<string>((resolve) => {
      this.readyWaiter = resolve;
    });
    const init: HelperInit = { exchange, parameters, maxRows, settings, pixels: set.pixels, bytesPerImage: set.bytesPerImage };
    this.worker.postMessage(init);
    return Promise.race([ready, this.failed.then((err) => Promise.reject(err))]);
  }

  /** The weights and Adam moments both threads step (shared memory; valid after `init`). */
  get adamMemory(): AdamMemory {
    return this.views!.adam;
  }

  /** Where the coordinator puts its own half's gradient before `ownGradientReady`. */
  get ownGrads(): Float32Array {
    return this.views!.ownGrads;
  }

  /** The helper's half's gradient for the last step (valid once `collect` resolved, until the next `post`). */
  get helperGrads(): Float32Array {
    return this.views!.helperGrads;
  }

  /**
   * Hands the helper rows [start, end) of `order` as its half of a batch of `batchRows` rows, for Adam step `adamStep`.
   * The weights in `adamMemory` must be the current ones.
   */
  post(order: Int32Array, start: number, end: number, batchRows: number, adamStep: number): void {
    const views = this.views!;
    views.rows.set(order.subarray(start, end));
    Atomics.store(views.control, COUNT, end - start);
    Atomics.store(views.control, ROWS, batchRows);
    Atomics.store(views.control, ADAM_STEP, adamStep);
    Atomics.store(views.control, COMMAND, STEP);
    Atomics.store(views.control, SEQ, ++this.seq);
    Atomics.notify(views.control, SEQ);
  }

  /** Says that `ownGrads` holds the coordinator's gradient for the last `post`: the helper may step its half. */
  ownGradientReady(): void {
    const views = this.views!;
    Atomics.store(views.control, OWN_READY, this.seq);
    Atomics.notify(views.control, OWN_READY);
  }

  /** Waits for the helper's half-batch mean loss and gradient for the last `post` (a view: read it before the next post). */
  async collect(): Promise<{ loss: number; grads: Float32Array }> {
    await this.waitFor(DONE);
    return { loss: this.views!.stats[LOSS]!, grads: this.helperGrads };
  }

  /** Waits until the helper has stepped its half of the weights for the last `post`. */
  async helperStepped(): Promise<void> {
    await this.waitFor(ADAM_DONE);
  }

  private async waitFor(slot: number): Promise<void> {
    const { control } = this.views!;
    const t0 = performance.now();
    for (;;) {
      if (this.failure) throw this.failure;
      if (Atomics.load(control, DONE) === FAILED) throw await this.failed;
      const now = Atomics.load(control, slot);
      if (now === this.seq) break;
      await waitForChange(control, slot, now);
    }
    this.coordinatorWaitSeconds += (performance.now() - t0) / 1000;
  }

  /** Seconds the helper waited for its next command, computed (wall clock), and its thread's CPU seconds (NaN if unknown). */
  helperSeconds(): { wait: number; compute: number; cpu: number } {
    const stats = this.views?.stats;
    return { wait: stats?.[HELPER_WAIT_SECONDS] ?? 0, compute: stats?.[HELPER_STEP_SECONDS] ?? 0, cpu: stats?.[HELPER_CPU_SECONDS] ?? 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.views) {
      Atomics.store(this.views.control, COMMAND, STOP);
      Atomics.store(this.views.control, SEQ, ++this.seq);
      Atomics.notify(this.views.control, SEQ);
      // A helper waiting for the coordinator's gradient sees the STOP too.
      Atomics.notify(this.views.control, OWN_READY);
    }
    await this.worker.terminate();
  }
}
