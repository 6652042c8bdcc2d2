import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { requestNames, type FarpointEvent } from '../../src/shared/contract';
import type { JobInfo } from '../../src/shared/domain';
import { MEDIA_BASE } from '../../src/main/doors/electron/app-origin';
import { createBridge } from '../../src/main/doors/electron/bridge';
import { forwardEvents } from '../../src/main/doors/electron/ipc-binding';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../src/main/doors/electron/ipc-channels';
import { answerCall, isTrustedSender, type SenderFrame } from '../../src/main/doors/electron/ipc-guard';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers } from '../../src/main/app/handlers/handlers';
import type { Handlers } from '../../src/main/app/handlers/handler-types';
import { Session } from '../../src/main/app/session';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir('farpoint-ipc-');
const appFrame: SenderFrame = { url: 'farpoint://app/index.html', parent: null };
let session: Session;
let handlers: Handlers;

before(async () => {
  await writeImageFolder(path.join(dir, 'images'), 4);
  session = new Session(workerThreadChannel);
  session.open(path.join(dir, 'ipc.farpoint'), { create: true });
  handlers = createHandlers(session);
});
after(() => session.close());

test("only the app's own top-level frame is a trusted sender", () => {
  assert.equal(isTrustedSender(appFrame), true);
  assert.equal(isTrustedSender({ url: 'farpoint://app/index.html#/queue', parent: null }), true);
  assert.equal(isTrustedSender({ url: 'farpoint://app/index.html', parent: { url: 'farpoint://app/index.html' } }), false, 'an embedded frame');
  assert.equal(isTrustedSender({ url: 'https://example.org/', parent: null }), false, 'the window navigated elsewhere');
  assert.equal(isTrustedSender({ url: 'file:///home/user/evil.html', parent: null }), false);
  assert.equal(isTrustedSender({ url: 'farpoint://media/x', parent: null }), false);
  assert.equal(isTrustedSender({ url: 'about:blank', parent: null }), false);
  assert.equal(isTrustedSender({ url: 'data:text/html,hi', parent: null }), false);
  assert.equal(isTrustedSender(null), false, 'a frame that is gone');
  assert.equal(isTrustedSender(undefined), false);
});

test('a call from anywhere else is refused before any handler runs', async () => {
  let ran = false;
  const spy = { ...handlers, getStatus: () => ((ran = true), handlers.getStatus({})) } as Handlers;
  for (const frame of [{ url: 'https://example.org/', parent: null }, { url: 'farpoint://app/index.html', parent: {} }, null]) {
    const reply = await answerCall(spy, frame, 'getStatus', {});
    assert.deepEqual(reply, { ok: false, error: 'forbidden: calls are accepted only from the Farpoint window', status: 403 });
  }
  assert.equal(ran, false);
  const allowed = await answerCall(spy, appFrame, 'getStatus', {});
  assert.equal(allowed.ok, true);
  assert.equal(ran, true);
});

test("every argument must pass the contract's validator, and unknown requests are refused", async () => {
  const bad: [unknown, unknown, number, RegExp][] = [
    ['getSample', { id: -1 }, 400, /invalid argument for getSample: id/],
    ['getSample', { id: '1' }, 400, /invalid argument for getSample/],
    ['getSample', { id: 1, extra: true }, 400, /invalid argument for getSample/],
    ['saveLabel', { sampleId: 1, angle: Number.NaN }, 400, /invalid argument for saveLabel: angle/],
    ['openProject', { path: 'a\0b' }, 400, /NUL/],
    ['listSamples', { limit: 10_000_000 }, 400, /limit/],
    ['listSamples', 'not an object', 400, /invalid argument for listSamples/],
    ['constructor', {}, 404, /unknown request: constructor/],
    ['__proto__', {}, 404, /unknown request/],
    ['deleteEverything', {}, 404, /unknown request: deleteEverything/],
    [42, {}, 400, /request name must be a string/],
  ];
  for (const [name, arg, status, error] of bad) {
    const reply = await answerCall(handlers, appFrame, name, arg);
    assert.equal(reply.ok, false, `${String(name)} ${JSON.stringify(arg)}`);
    if (!reply.ok) {
      assert.equal(reply.status, status, reply.error);
      assert.match(reply.error, error);
    }
  }
  const good = await answerCall(handlers, appFrame, 'listSamples', {});
  assert.deepEqual(good.ok && (good.result as { total: number }).total, 0, 'defaults filled in by the validator');
  const conflict = await answerCall(handlers, appFrame, 'getSample', { id: 12345 });
  assert.deepEqual(conflict.ok ? null : conflict.status, 404, 'a handler error keeps its message and status');
});

test('the bridge has one function per request, events with unsubscribe, and the media base — nothing else', () => {
  const bridge = createBridge({ call: async () => ({ ok: true, result: null }), subscribe: () => () => {} }, MEDIA_BASE);
  assert.deepEqual(Object.keys(bridge).sort(), [...requestNames, 'onEvent', 'mediaBase'].sort());
  for (const name of requestNames) assert.equal(typeof bridge[name], 'function', name);
  assert.equal(bridge.mediaBase, 'farpoint://app/media');
  assert.ok(Object.isFrozen(bridge), 'the page cannot swap a function of the bridge');
  assert.equal('ipcRenderer' in bridge, false);
  assert.throws(() => bridge.onEvent('not a function' as never), /onEvent needs a function/);
  assert.notEqual(CALL_CHANNEL, EVENT_CHANNEL);
});

test('through the bridge, the IPC guard and the real handlers: import a folder, follow its job by events, label, unsubscribe', async () => {
  // The transport a preload gets, wired to the real main-side functions in-process.
  const listeners = new Set<(event: FarpointEvent) => void>();
  const window = {
    url: 'farpoint://app/index.html',
    isDestroyed: () => false,
    getURL: () => window.url,
    send: (channel: string, event: FarpointEvent) => {
      assert.equal(channel, EVENT_CHANNEL);
      for (const listener of listeners) listener(event);
    },
  };
  const stopForwarding = forwardEvents(session.events, window);
  const bridge = createBridge(
    {
      call: (name, arg) => answerCall(handlers, { url: window.url, parent: null }, name, structuredClone(arg)),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    MEDIA_BASE,
  );

  const seen: FarpointEvent[] = [];
  const unsubscribe = bridge.onEvent((event) => seen.push(event));
  const job = await bridge.importFolder({ folder: path.join(dir, 'images') });
  assert.equal(job.kind, 'import');
  const finished = await new Promise<JobInfo>((resolve) => {
    const stop = bridge.onEvent((event) => {
      if (event.type === 'job' && event.job.id === job.id && ['done', 'failed', 'cancelled'].includes(event.job.state)) {
        stop();
        resolve(event.job);
      }
    });
  });
  assert.equal(finished.state, 'done', finished.error ?? '');
  assert.ok(seen.some((e) => e.type === 'projectChanged' && e.what.includes('samples')));
  const page = await bridge.listSamples({ limit: 10 });
  assert.equal(page.total, 4);
  const label = await bridge.saveLabel({ sampleId: page.samples[0]!.id, angle: 30 });
  assert.equal(label.sampleId, page.samples[0]!.id);

  await assert.rejects(bridge.getSample({ id: 999 }), (err: Error & { status?: number }) => /no sample with id 999/.test(err.message) && err.status === 404);
  await assert.rejects(bridge.getSample({ id: 'x' as never }), /invalid argument for getSample/);

  unsubscribe();
  const before = seen.length;
  session.changed(['labels']);
  assert.equal(seen.length, before, 'an unsubscribed listener hears nothing');

  // Once the window shows anything but the app, it gets no events and its calls are refused.
  window.url = 'https://example.org/';
  let leaked = false;
  bridge.onEvent(() => (leaked = true));
  session.changed(['labels']);
  assert.equal(leaked, false);
  await assert.rejects(bridge.getStatus({}), /forbidden/);
  stopForwarding();
});
