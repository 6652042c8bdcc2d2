import { startEntryWorker } from '../../core/runtime/entry-worker';
import type { FromCompute, ToCompute } from '../../core/job-types';

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
