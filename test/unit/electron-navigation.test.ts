import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { APP_ENTRY_URL, isAppUrl } from '../../src/main/doors/electron/app-origin';
import { externalLinkTarget } from '../../src/main/doors/electron/external-links';
import { decideNavigation, decideRedirect, decideWindowOpen, guardNavigation, type GuardedContents } from '../../src/main/doors/electron/navigation-guard';
import { blockNetwork, isAllowedRequestUrl, type NetworkSession } from '../../src/main/doors/electron/network-policy';
import { denyAllPermissions, type PermissionSession } from '../../src/main/doors/electron/permission-policy';

test('only the app origin counts as the app', () => {
  for (const url of [APP_ENTRY_URL, 'farpoint://app/', 'farpoint://app/assets/index-abc.js', 'farpoint://app/media/thumb/3']) assert.equal(isAppUrl(url), true, url);
  for (const url of [
    'farpoint://media/thumb/3',
    'farpoint://app.evil.com/index.html',
    'farpoint://app:8080/index.html',
    'farpoint://user:pw@app/index.html',
    'file:///app/index.html',
    'https://app/index.html',
    'http://127.0.0.1:5173/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
    '',
  ])
    assert.equal(isAppUrl(url), false, url);
});

test('navigation stays in the app; http(s) links leave only for the system browser, after a check', () => {
  assert.deepEqual(decideNavigation('farpoint://app/index.html#/queue'), { allow: true, openExternally: null });
  assert.deepEqual(decideNavigation('https://example.org/paper.pdf'), { allow: false, openExternally: 'https://example.org/paper.pdf' });
  assert.deepEqual(decideNavigation('file:///etc/passwd'), { allow: false, openExternally: null });
  assert.deepEqual(decideNavigation('javascript:alert(1)'), { allow: false, openExternally: null });
  assert.deepEqual(decideNavigation('smb://server/share'), { allow: false, openExternally: null });
  // window.open never makes a second window, not even of the app.
  assert.deepEqual(decideWindowOpen(APP_ENTRY_URL), { allow: false, openExternally: null });
  assert.deepEqual(decideWindowOpen('https://example.org/'), { allow: false, openExternally: 'https://example.org/' });
  assert.deepEqual(decideWindowOpen('ms-msdt:/id PCWDiagnostic'), { allow: false, openExternally: null });
  assert.deepEqual(decideRedirect('farpoint://app/index.html'), { allow: true, openExternally: null });
  assert.deepEqual(decideRedirect('https://example.org/'), { allow: false, openExternally: null }, 'a redirect never opens a browser');
});

test('external links are checked before the system browser sees them', () => {
  assert.equal(externalLinkTarget('https://example.org/a?b=c#d'), 'https://example.org/a?b=c#d');
  assert.equal(externalLinkTarget('http://example.org'), 'http://example.org/');
  for (const url of [
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(1)',
    'vbscript:msgbox',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'farpoint://app/index.html',
    'https://user:secret@example.org/',
    'https://exa\nmple.org/',
    'https://example.org/\tpath',
    'https://',
    'http://[::1',
    `https://example.org/${'a'.repeat(3000)}`,
    'not a url',
  ])
    assert.equal(externalLinkTarget(url), null, url);
});

type WindowOpenHandler = Parameters<GuardedContents['setWindowOpenHandler']>[0];
type HandlerDetails = Parameters<WindowOpenHandler>[0];

/** A WebContents as far as the guards see it: Electron's event emitter plus the window-open hook. */
class ContentsHost extends EventEmitter {
  openHandler: WindowOpenHandler | null = null;
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.openHandler = handler;
  }
  /** Emits like Electron: the listener gets an event whose preventDefault cancels the action. */
  attempt(name: string, url: string): boolean {
    let prevented = false;
    this.emit(name, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

test('the installed guards cancel navigations away from the app and hand only checked links to the system browser', async () => {
  const host = new ContentsHost();
  const opened: string[] = [];
  guardNavigation(host as unknown as GuardedContents, (url) => void opened.push(url));

  assert.equal(host.attempt('will-navigate', 'farpoint://app/index.html'), false, 'the app itself may load');
  assert.equal(host.attempt('will-navigate', 'https://example.org/help'), true);
  assert.equal(host.attempt('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(host.attempt('will-frame-navigate', 'https://example.org/frame'), true);
  assert.equal(host.attempt('will-frame-navigate', 'farpoint://app/index.html'), false);
  assert.equal(host.attempt('will-redirect', 'https://example.org/redirected'), true);
  assert.equal(host.attempt('will-attach-webview', 'farpoint://app/index.html'), true, 'no <webview> ever');
  const details = (url: string) => ({ url, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'no-referrer' } }) as HandlerDetails;
  assert.deepEqual(host.openHandler!(details('https://example.org/new')), { action: 'deny' });
  assert.deepEqual(host.openHandler!(details('farpoint://app/index.html')), { action: 'deny' });
  assert.deepEqual(host.openHandler!(details('file:///etc/passwd')), { action: 'deny' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(opened, ['https://example.org/help', 'https://example.org/new'], 'only user-clicked http(s) links, never frames or redirects');
});

test('every permission request and check is refused', () => {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const events = new EventEmitter();
  const session = {
    setPermissionRequestHandler: (h: never) => (handlers.request = h),
    setPermissionCheckHandler: (h: never) => (handlers.check = h),
    setDevicePermissionHandler: (h: never) => (handlers.device = h),
    setDisplayMediaRequestHandler: (h: never) => (handlers.display = h),
    on: (name: string, listener: (...args: unknown[]) => void) => events.on(name, listener),
  };
  denyAllPermissions(session as unknown as PermissionSession);
  const permissions = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'storage-access', 'unknown'];
  for (const permission of permissions) {
    let answer: boolean | undefined;
    const request = handlers.request as unknown as (wc: unknown, p: string, cb: (granted: boolean) => void, details: unknown) => void;
    request({}, permission, (granted) => (answer = granted), { requestingUrl: 'farpoint://app/index.html' });
    assert.equal(answer, false, `request for ${permission}`);
    const check = handlers.check as unknown as (wc: unknown, p: string, origin: string, details: unknown) => boolean;
    assert.equal(check({}, permission, 'farpoint://app', {}), false, `check of ${permission}`);
  }
  assert.equal((handlers.device as unknown as (d: unknown) => boolean)({ deviceType: 'usb', origin: 'farpoint://app' }), false);
  let streams: unknown = 'unanswered';
  (handlers.display as unknown as (r: unknown, cb: (s: unknown) => void) => void)({}, (s) => (streams = s));
  assert.equal(streams, null, 'screen capture refused');
  let downloadPrevented = false;
  events.emit('will-download', { preventDefault: () => (downloadPrevented = true) });
  assert.equal(downloadPrevented, true);
});

test('the session cancels every request that is not to the app protocol', () => {
  for (const url of ['farpoint://app/index.html', 'farpoint://app/media/thumb/1', 'data:image/png;base64,AAAA', 'blob:farpoint://app/1234', 'devtools://devtools/bundled/inspector.html'])
    assert.equal(isAllowedRequestUrl(url), true, url);
  for (const url of ['https://fonts.googleapis.com/css', 'http://127.0.0.1:8080/', 'wss://example.org/', 'ws://localhost/', 'file:///etc/passwd', 'ftp://example.org/', 'chrome://settings', 'garbage'])
    assert.equal(isAllowedRequestUrl(url), false, url);

  let listener: ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | null = null;
  let spellCheck: boolean | null = null;
  const session = {
    setSpellCheckerEnabled: (enabled: boolean) => (spellCheck = enabled),
    webRequest: { onBeforeRequest: (l: typeof listener) => (listener = l) },
  };
  const blocked: string[] = [];
  blockNetwork(session as unknown as NetworkSession, (url) => blocked.push(url));
  assert.equal(spellCheck, false);
  const answer = (url: string) => {
    let cancel: boolean | undefined;
    listener!({ url }, (response) => (cancel = response.cancel));
    return cancel;
  };
  assert.equal(answer('https://update.example.org/latest.yml'), true);
  assert.equal(answer('farpoint://app/index.html'), false);
  assert.deepEqual(blocked, ['https://update.example.org/latest.yml']);
});
