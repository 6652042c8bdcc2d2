import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { utilityProcessChannel, type ForkUtilityProcess } from '../../src/main/doors/electron/utility-process-channel';
import type { FromCompute, ToCompute } from '../../src/main/app/jobs/compute-messages';

/** The UtilityProcess surface the channel uses: Electron's event emitter, postMessage and kill. */
class UtilityHost extends EventEmitter {
  posted: ToCompute[] = [];
  killed = 0;
  forkedWith: { entry: string; options: unknown } | null = null;
  postMessage(message: ToCompute): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed++;
    setImmediate(() => this.emit('exit', 0));
    return true;
  }
}

function open(host: UtilityHost) {
  const fork = ((entry: string, _args: string[], options: unknown) => {
    host.forkedWith = { entry, options };
    return host;
  }) as unknown as ForkUtilityProcess;
  return utilityProcessChannel(fork, '/app/dist/electron/utility-process.js');
}

test('the utility process gets the compute entry and a name, messages pass both ways', () => {
  const host = new UtilityHost();
  const channel = open(host);
  assert.deepEqual(host.forkedWith, { entry: '/app/dist/electron/utility-process.js', options: { serviceName: 'Farpoint compute', stdio: 'inherit' } });
  const received: FromCompute[] = [];
  channel.onMessage((message) => received.push(message));
  channel.post({ type: 'cancel', id: 'a' });
  assert.deepEqual(host.posted, [{ type: 'cancel', id: 'a' }]);
  host.emit('message', { type: 'done', id: 'a', result: 1 });
  assert.deepEqual(received, [{ type: 'done', id: 'a', result: 1 }]);
});

test('a crash is reported with its reason; a clean exit with none; nothing is posted to a dead process', () => {
  const crashed = new UtilityHost();
  const channel = open(crashed);
  const reasons: (string | null)[] = [];
  channel.onExit((reason) => reasons.push(reason));
  crashed.emit('error', 'FatalError', 'v8::OOM', '');
  crashed.emit('exit', 134);
  assert.deepEqual(reasons, ['FatalError at v8::OOM']);
  channel.post({ type: 'cancel', id: 'late' });
  assert.deepEqual(crashed.posted, []);

  const killed = new UtilityHost();
  const other = open(killed);
  const codes: (string | null)[] = [];
  other.onExit((reason) => codes.push(reason));
  killed.emit('exit', 9);
  assert.deepEqual(codes, ['exit code 9']);

  const clean = new UtilityHost();
  const third = open(clean);
  const none: (string | null)[] = [];
  third.onExit((reason) => none.push(reason));
  clean.emit('exit', 0);
  assert.deepEqual(none, [null]);
});

test('terminate waits for the process to exit, and is a no-op once it has', async () => {
  const host = new UtilityHost();
  const channel = open(host);
  let exited = false;
  channel.onExit(() => (exited = true));
  await channel.terminate();
  assert.equal(host.killed, 1);
  assert.equal(exited, true);
  await channel.terminate();
  assert.equal(host.killed, 1);
});
