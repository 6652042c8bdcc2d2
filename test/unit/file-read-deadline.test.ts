import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FarpointError } from '../../src/main/core/errors';
import { MAX_STUCK_FILES, readWithDeadline } from '../../src/main/app/file-read-deadline';
import { tempDir } from '../helpers/temp';

// A read that never returns, for real: a FIFO opened for reading with no writer holds a libuv pool thread until one comes.
const dir = tempDir();

function makeFifo(name: string): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

/** Lets the blocked reader of `fifo` finish: a writer opens and closes at once, which the reader sees as end of file. */
function release(fifo: string): void {
  fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
}

const hungRead = (file: string) => () => fs.promises.readFile(file);

async function status(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof FarpointError, String(err));
    return err.status;
  }
}

/** Tries `attempt` until it stops answering 504/503 (the stuck read has ended), within a bounded number of turns. */
async function afterReleased(attempt: () => Promise<unknown>): Promise<number | 'ok' | 'still stuck'> {
  for (let i = 0; i < 500; i++) {
    const result = await status(attempt());
    if (result !== 504 && result !== 503) return result;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return 'still stuck';
}

test('a read that outlives its deadline answers 504 naming the file; the file is then refused at once until the read returns', async () => {
  const fifo = makeFifo('hung.png');
  let started = 0;
  const counted = () => {
    started++;
    return fs.promises.readFile(fifo);
  };
  const first = readWithDeadline(fifo, `${fifo}:64`, counted, 50);
  const second = readWithDeadline(fifo, `${fifo}:64`, counted, 50);
  await assert.rejects(first, (err: FarpointError) => err.status === 504 && err.message.includes(fifo));
  await assert.rejects(second, (err: FarpointError) => err.status === 504);
  assert.equal(started, 1, 'concurrent requests for the same thing share one read');
  // Another size of the same file: refused at once, no second pool thread spent on it.
  assert.equal(await status(readWithDeadline(fifo, `${fifo}:128`, counted, 60_000)), 504);
  assert.equal(started, 1);
  // Other files are read meanwhile.
  const fine = path.join(dir, 'fine.png');
  fs.writeFileSync(fine, 'bytes');
  assert.equal(String(await readWithDeadline(fine, fine, () => fs.promises.readFile(fine), 60_000)), 'bytes');

  release(fifo);
  assert.equal(await afterReleased(() => readWithDeadline(fifo, `${fifo}:256`, async () => 'read', 60_000)), 'ok');
});

test(`at most ${MAX_STUCK_FILES} files may be stuck: further reads are refused with 503 naming them, so the pool keeps threads for everything else`, async () => {
  const fifos = Array.from({ length: MAX_STUCK_FILES }, (_, i) => makeFifo(`stuck-${i}.png`));
  for (const fifo of fifos) assert.equal(await status(readWithDeadline(fifo, fifo, hungRead(fifo), 50)), 504);
  const other = path.join(dir, 'other.png');
  fs.writeFileSync(other, 'x');
  const refused = readWithDeadline(other, other, () => fs.promises.readFile(other), 60_000);
  await assert.rejects(refused, (err: FarpointError) => err.status === 503 && fifos.every((f) => err.message.includes(f)));
  for (const fifo of fifos) release(fifo);
  assert.equal(await afterReleased(() => readWithDeadline(other, other, () => fs.promises.readFile(other), 60_000)), 'ok');
});
