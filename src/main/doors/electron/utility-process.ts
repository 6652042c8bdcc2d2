import { serveCompute } from '../../app/jobs/compute-server';
import type { ToCompute } from '../../app/jobs/compute-messages';

/**
 * Entry point of Electron's compute utility process: the same job loop as
 * the Node worker thread, over `process.parentPort` instead of a
 * worker_threads port.
 */
const parentPort = process.parentPort;
if (!parentPort) throw new Error('utility-process must be started with utilityProcess.fork');
serveCompute({
  post: (message) => parentPort.postMessage(message),
  onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToCompute)),
});
