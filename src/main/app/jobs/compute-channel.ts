import { startEntryWorker } from '../../core/runtime/entry-worker';
import type { FromCompute, ToCompute } from './compute-messages';
import { serveCompute } from './compute-server';

/**
 * The pipe to the compute side. Node front doors use a worker thread; the
 * Electron shell supplies a utilityProcess with the same shape.
 */
export interface ComputeChannel {
  post(message: ToCompute): void;
  onMessage(listener: (message: FromCompute) => void): void;
  /** Called once when the compute side ends, expectedly or not. */
  onExit(listener: (reason: string | null) => void): void;
  terminate(): Promise<void>;
}

export type ComputeChannelFactory = () => ComputeChannel;

export function workerThreadChannel(): ComputeChannel {
  const worker = startEntryWorker('compute-worker', { stdout: false, stderr: false });
  let exitListener: (reason: string | null) => void = () => {};
  let lastError: string | null = null;
  worker.on('error', (err) => {
    lastError = err.message;
  });
  worker.on('exit', (code) => exitListener(code === 0 && !lastError ? null : (lastError ?? `exit code ${code}`)));
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      exitListener = listener;
    },
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The compute side on this very thread: for the CLI, whose one command has no
 * window or other requests to keep responsive, so a job runs where the command
 * runs, as it did before the CLI went through the contract, without starting
 * a worker (and loading every module a second time) first. Messages still
 * cross asynchronously, as they would between threads.
 */
export function inThreadChannel(): ComputeChannel {
  let toFront: (message: FromCompute) => void = () => {};
  let toCompute: (message: ToCompute) => void = () => {};
  let open = true;
  serveCompute({
    post: (message) => setImmediate(() => open && toFront(message)),
    onMessage: (listener) => {
      toCompute = listener;
    },
  });
  return {
    post: (message) => setImmediate(() => open && toCompute(message)),
    onMessage: (listener) => {
      toFront = listener;
    },
    onExit: () => {},
    terminate: async () => {
      open = false;
    },
  };
}
