import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { entryPath, runningFromSource } from '../paths';
import type { FromCompute, ToCompute } from './job-types';

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
  const worker = runningFromSource
    ? new Worker(typeScriptBootstrap(entryPath('compute-worker')), { eval: true, stdout: false, stderr: false, execArgv: [] })
    : new Worker(entryPath('compute-worker'), { stdout: false, stderr: false });
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
 * From sources (tests, development), a worker thread does not inherit the
 * TypeScript loader's hooks on Node 20, so it registers them itself before
 * importing the entry point.
 */
function typeScriptBootstrap(entry: string): string {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
}
