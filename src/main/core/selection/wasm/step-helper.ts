import { Worker } from 'node:worker_threads';

/**
 * A second thread for the kernel's full distance-update step: it
 * instantiates the same module over the same shared WebAssembly memory and
 * runs update_all on the second half of the rows while the caller runs the
 * first. The rows' distances and min-updates are the same instructions on
 * the same bytes whichever thread runs them, so results are bit for bit
 * those of one thread; the caller merges the two halves' argmax (the first
 * half on ties: lower rows). The step is memory-bound, and one core does not
 * draw all of the machine's memory bandwidth.
 *
 * The caller waits with Atomics.wait on a flag in the shared memory (the
 * wait is the step's own duration: the caller was computing for that long
 * anyway). The worker is unref'd and ends with its kernel (a finalizer):
 * it holds the shared memory, which would otherwise outlive the kernel.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let exports = null;
let flag = null;
parentPort.on('message', (m) => {
  if (m.module) {
    exports = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
    flag = new Int32Array(m.memory.buffer, m.flag, 2);
    return;
  }
  let row = -2;
  try {
    row = exports.update_all(...m.args);
  } finally {
    flag[1] = row;
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
});
`;

/** How long the caller waits for the helper's half before doing it itself (a stalled or dead worker). */
const WAIT_MS = 30_000;

const finalizer = new FinalizationRegistry<Worker>((worker) => void worker.terminate());

export class StepHelper {
  private readonly worker: Worker;
  private readonly flag: Int32Array;
  private broken = false;

  private constructor(owner: object, module: object, memory: { buffer: ArrayBufferLike }, flagPtr: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, stdout: false, stderr: false, execArgv: [] });
    this.worker.unref();
    this.worker.on('error', () => (this.broken = true));
    this.worker.on('exit', () => (this.broken = true));
    this.flag = new Int32Array(memory.buffer, flagPtr, 2);
    this.worker.postMessage({ module, memory, flag: flagPtr });
    finalizer.register(owner, this.worker);
  }

  /** A helper for `owner` (its kernel), or null where no worker thread can start. */
  static tryStart(owner: object, module: object, memory: { buffer: ArrayBufferLike }, flagPtr: number): StepHelper | null {
    try {
      return new StepHelper(owner, module, memory, flagPtr);
    } catch {
      return null;
    }
  }

  get usable(): boolean {
    return !this.broken;
  }

  /** Starts update_all(...args) on the helper thread. */
  start(args: number[]): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ args });
  }

  /** Waits for the started half: its argmax row (−1 none), or null when the helper failed (the caller then does the half itself). */
  finish(): number | null {
    let done: boolean;
    try {
      done = Atomics.wait(this.flag, 0, 0, WAIT_MS) !== 'timed-out';
    } catch {
      // A thread that may not block (Atomics.wait refused): spin for this half, then work alone from now on.
      const deadline = Date.now() + WAIT_MS;
      while (Atomics.load(this.flag, 0) === 0 && Date.now() < deadline);
      done = Atomics.load(this.flag, 0) === 1;
      this.stop();
    }
    const row = this.flag[1]!;
    if (!done || row === -2) {
      this.stop();
      return null;
    }
    return row;
  }

  private stop(): void {
    this.broken = true;
    void this.worker.terminate();
  }
}
