import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { contentSecurityPolicy, securityHeaders } from '../../src/main/doors/electron/content-security-policy';
import { windowOptions } from '../../src/main/doors/electron/window-options';
import { repoRoot } from '../helpers/cli';

test('the window runs the page sandboxed, isolated and without Node', () => {
  const options = windowOptions({ preload: '/app/dist/electron/preload.cjs', devTools: false });
  const prefs = options.webPreferences!;
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.enableBlinkFeatures, undefined);
  assert.equal(prefs.navigateOnDragDrop, false);
  assert.equal(prefs.spellcheck, false, 'spell-check dictionaries are downloaded from the network');
  assert.equal(prefs.devTools, false);
  assert.equal(prefs.preload, '/app/dist/electron/preload.cjs');
  assert.equal(options.show, false, 'shown on ready-to-show');
  assert.equal(windowOptions({ preload: 'p', devTools: true }).webPreferences!.devTools, true);
});

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

test('the CSP allows scripts only from the app bundle and nothing from any other origin', () => {
  const csp = directives(contentSecurityPolicy);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'self'"], 'no inline scripts, no eval, no wasm eval, no remote scripts');
  assert.deepEqual(csp.get('object-src'), ["'none'"]);
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(csp.get('frame-src'), ["'none'"]);
  assert.deepEqual(csp.get('form-action'), ["'none'"]);
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  for (const [name, values] of csp) {
    for (const value of values) {
      assert.ok(!/unsafe-eval|unsafe-hashes|strict-dynamic/.test(value), `${name} allows ${value}`);
      assert.ok(!/^(https?:|wss?:|ftp:|file:|\*|farpoint:)/.test(value) && !value.includes('.'), `${name} allows the origin ${value}`);
    }
    if (name !== 'style-src') assert.ok(!values.includes("'unsafe-inline'"), `${name} allows inline content`);
  }
  assert.equal(securityHeaders['Content-Security-Policy'], contentSecurityPolicy);
  assert.equal(securityHeaders['X-Content-Type-Options'], 'nosniff');
});

test('the UI page works under that CSP: no inline script, no inline handler, no remote resource', () => {
  const html = fs.readFileSync(path.join(repoRoot, 'src', 'renderer', 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length > 0);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes!, /\bsrc=/, 'every script is loaded from a file');
    assert.equal(body!.trim(), '', 'no inline script');
  }
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i, 'no remote resources');
});
