import { parentPort } from 'node:worker_threads';
import { messageOf } from '../../core/errors';
import type { ReadReply, ReadRequest } from './read-pool';
import { runReadTask } from './read-tasks';

/**
 * Entry point of an import reading thread (see read-pool.ts): it reads,
 * hashes, decodes, windows and thumbnails the files it is sent, several at
 * once (sharp's share runs on libuv's thread pool meanwhile), and answers
 * each. It keeps no state between files.
 */
if (!parentPort) throw new Error('read-worker must run as a worker thread');
const port = parentPort;

port.on('message', (request: ReadRequest) => {
  runReadTask(request.name, request.input).then(
    (output) => port.postMessage({ id: request.id, output } satisfies ReadReply),
    // The tasks turn a bad file into its reason; this is a fault of the thread itself.
    (err: unknown) => port.postMessage({ id: request.id, error: messageOf(err) } satisfies ReadReply),
  );
});
