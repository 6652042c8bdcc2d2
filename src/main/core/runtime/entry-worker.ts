import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { entryPath, runningFromSource, type EntryName } from './paths';

/**
 * Starts one of the app's own entry points as a worker thread: the bundle in
 * dist/ when running built, or the TypeScript source when running from src/
 * (tests, development). The compute worker and the second training thread
 * both start this way.
 */
export function startEntryWorker(name: EntryName, options: WorkerOptions = {}): Worker {
  return runningFromSource
    ? new Worker(typeScriptBootstrap(entryPath(name)), { ...options, eval: true, execArgv: [] })
    : new Worker(entryPath(name), options);
}

/**
 * From sources, a worker thread does not inherit the TypeScript loader's
 * hooks on Node 20, so it registers them itself before importing the entry
 * point.
 */
function typeScriptBootstrap(entry: string): string {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
}
