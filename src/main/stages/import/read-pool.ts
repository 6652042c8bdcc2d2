import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { FarpointError } from '../../core/errors';
import { startEntryWorker } from '../../core/runtime/entry-worker';
import type { ReadTaskInput, ReadTaskName, ReadTaskOutput } from './read-tasks';

export interface ReadRequest {
  id: number;
  name: ReadTaskName;
  input: ReadTaskInput<ReadTaskName>;
}

export type ReadReply = { id: number; output: unknown } | { id: number; error: string };

interface Waiting {
  resolve(output: unknown): void;
  reject(err: Error): void;
}

interface ReadThread {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

/**
 * Reading threads for an import (and for re-rendering DICOM thumbnails). DICOM decoding, rescale and windowing are
 * JavaScript and WebAssembly: on the import's own thread they would take
 * turns with the SQLite writes and leave the other cores idle, so each file
 * is read whole on one of these threads and only its samples (a few KB of
 * thumbnail and the frame's record) come back. The caller bounds how many
 * files are in flight; a thread is given the next file when it has the
 * fewest, so a slow file never holds the others up.
 */
export class ReadPool {
  private readonly threads: ReadThread[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.threads.push(this.startThread());
  }

  get size(): number {
    return this.threads.length;
  }

  /** Runs a task (read-tasks.ts) on the thread with the fewest waiting. Buffers in its output arrive as plain Uint8Arrays. */
  run<K extends ReadTaskName>(name: K, input: ReadTaskInput<K>): Promise<ReadTaskOutput<K>> {
    if (this.failure) return Promise.reject(this.failure);
    const thread = this.threads.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = ++this.nextId;
    return new Promise<ReadTaskOutput<K>>((resolve, reject) => {
      thread.waiting.set(id, { resolve: (output) => resolve(output as ReadTaskOutput<K>), reject });
      thread.worker.postMessage({ id, name, input } satisfies ReadRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private startThread(): ReadThread {
    const thread: ReadThread = { worker: startEntryWorker('read-worker', { stdout: false, stderr: true }), waiting: new Map() };
    thread.worker.on('message', (reply: ReadReply) => {
      const waiting = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if ('error' in reply) waiting?.reject(new FarpointError(`an import reading thread failed: ${reply.error}`));
      else waiting?.resolve(reply.output);
    });
    const fail = (reason: string) => {
      // A thread that stops unexpectedly fails the import with the reason; files already committed stay.
      this.failure ??= new FarpointError(`an import reading thread stopped: ${reason}; the images committed so far are kept, importing again goes on from there`);
      for (const waiting of thread.waiting.values()) waiting.reject(this.failure);
      thread.waiting.clear();
    };
    thread.worker.on('error', (err) => fail(err.message));
    thread.worker.on('exit', (code) => {
      if (thread.waiting.size > 0) fail(`exit code ${code}`);
    });
    return thread;
  }
}

/** A Buffer crosses a thread as a plain Uint8Array; SQLite binds only Buffers. This one wraps the same bytes, no copy. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Files below this many are read on the import's own thread: starting the threads (sharp and the decoders loaded in each) costs more than they save on a small import. */
export const POOL_MIN_FILES = 256;

/**
 * Reading threads for an import of `files` files: `requested` or
 * FARPOINT_IMPORT_THREADS when set (0: read on the import's own thread),
 * else, from three cores, one per core but the import's own, up to four.
 * On two cores none: the import's thread does the JavaScript share and
 * libuv's threads sharp's on the other core, and threads would add their
 * start and their messages for little (`npm run bench -- import` measures
 * both ways); nor for a small import.
 */
export function readThreadsFor(files: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  const fromEnv = process.env.FARPOINT_IMPORT_THREADS;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  const cores = os.availableParallelism();
  return cores < 3 || files < POOL_MIN_FILES ? 0 : Math.min(4, cores - 1);
}
