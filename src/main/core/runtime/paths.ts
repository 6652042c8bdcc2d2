import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the app's own files are. The same code runs from TypeScript sources
 * (tests, development, through tsx) and from the bundles in dist/ (the CLI
 * after install, Electron), so entry points are located from the package root.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Farpoint's package.json above ${start}`);
    dir = parent;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const appRoot = findPackageRoot(here);
/** True when running from src/ through a TypeScript loader. */
export const runningFromSource = fileURLToPath(import.meta.url).endsWith('.ts');

/** Node entry points that are started as separate threads or processes. */
export type EntryName = 'compute-worker' | 'train-worker' | 'read-worker' | 'cli';
const sourceEntries: Record<EntryName, string> = {
  'compute-worker': 'src/main/app/jobs/compute-worker.ts',
  'train-worker': 'src/main/stages/train/train-worker.ts',
  'read-worker': 'src/main/stages/import/read-worker.ts',
  cli: 'src/main/doors/cli/main.ts',
};

export function entryPath(name: EntryName): string {
  return runningFromSource ? path.join(appRoot, sourceEntries[name]) : path.join(appRoot, 'dist', 'main', `${name}.js`);
}

export const rendererDir = path.join(appRoot, 'dist', 'renderer');

/** Per-user settings (recent projects). Overridable so tests never touch the real home folder. */
export function configDir(): string {
  return process.env.FARPOINT_CONFIG_DIR || path.join(os.homedir(), '.config', 'farpoint');
}
