import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/browser';
import { repoRoot } from '../../helpers/cli';
import type { TestBackend } from '../../helpers/backend';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** One Chromium per test file, closed when the file ends (registered at import, so the hook belongs to the file, not to a test). */
let shared: Promise<Browser> | null = null;
after(async () => (await shared)?.close());
export function browser(): Promise<Browser> {
  shared ??= launchChromium();
  return shared;
}

/** A fresh page at 1280×800 (the design's smallest target), logged in with the server's token, at `hash`. */
export async function openApp(backend: TestBackend, hash = ''): Promise<Page> {
  const context = await (await browser()).newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(`${backend.server.launchUrl}${hash}`);
  await page.locator('.shell').waitFor();
  return page;
}

/** Saves a screenshot as a test artefact (test-results/screenshots/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/** A contract call over HTTP that must succeed; returns its result. */
export async function call<T>(backend: TestBackend, name: string, arg: unknown = {}): Promise<T> {
  const res = await backend.call(name, arg);
  if (res.status !== 200) throw new Error(`${name} failed (${res.status}): ${res.body.error}`);
  return res.body.result as T;
}
