import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Chromium from CHROMIUM_PATH, Debian's package, or Playwright's own download, in that order. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) if (candidate && fs.existsSync(candidate)) return candidate;
  try {
    const bundled = chromium.executablePath();
    if (bundled && fs.existsSync(bundled)) return bundled;
  } catch {
    // No Playwright download on this machine.
  }
  return null;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function executable(): string {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: install Debian chromium, or set CHROMIUM_PATH');
  return executablePath;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: executable(), headless: true, args: ARGS });
}

/** Chromium with a profile on disk (cookies, storage, the HTTP disk cache), as a user's browser has. */
export async function launchPersistentChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: executable(), headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
}
