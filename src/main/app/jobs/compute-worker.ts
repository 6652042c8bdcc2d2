import { parentPort } from 'node:worker_threads';
import { serveCompute } from './compute-server';

/** Entry point of the compute worker thread: every long job runs here, off the main thread. */
if (!parentPort) throw new Error('compute-worker must run as a worker thread');
const port = parentPort;
serveCompute({
  post: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', listener),
});
