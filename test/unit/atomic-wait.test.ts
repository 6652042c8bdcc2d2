import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { waitForChange } from '../../src/main/stages/train/atomic-wait';

test('a wait ends when the slot changes even if no notify ever comes (a lost wake-up cannot hang training)', async () => {
  const control = new Int32Array(new SharedArrayBuffer(16));
  // Another thread changes the slot and never notifies: Atomics.waitAsync alone would wait forever.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const c = new Int32Array(workerData);
     setTimeout(() => Atomics.store(c, 1, 7), 30);`,
    { eval: true, workerData: control.buffer },
  );
  try {
    await waitForChange(control, 1, 0, 10);
    assert.equal(Atomics.load(control, 1), 7);
  } finally {
    await worker.terminate();
  }
});

test('a notified change ends the wait, and a slot that already differs returns at once', async () => {
  const control = new Int32Array(new SharedArrayBuffer(16));
  control[2] = 5;
  await waitForChange(control, 2, 4);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const c = new Int32Array(workerData);
     setTimeout(() => { Atomics.store(c, 3, 1); Atomics.notify(c, 3); }, 20);`,
    { eval: true, workerData: control.buffer },
  );
  try {
    // A poll far longer than the change takes: the notify ends this wait.
    await waitForChange(control, 3, 0, 5_000);
    assert.equal(Atomics.load(control, 3), 1);
  } finally {
    await worker.terminate();
  }
});
