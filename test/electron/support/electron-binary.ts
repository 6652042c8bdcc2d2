import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/cli';

export type ElectronBinary = { path: string; skip: false } | { path: null; skip: string };

/**
 * Where the Electron binary is, or why the Electron tests cannot run here.
 * Never `require('electron')` to find out: when the binary is missing, that
 * require starts downloading it (the same check as scripts/start.mjs).
 */
export function findElectronBinary(): ElectronBinary {
  const pkg = path.join(repoRoot, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(pkg, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const howTo = 'run `npx install-electron` once on a machine with internet to fetch it';
  if (!override && !relative) return { path: null, skip: `the Electron binary is not installed (node_modules/electron has no path.txt); ${howTo}` };
  const binary = override ? path.join(override, relative || 'electron') : path.join(pkg, 'dist', relative!);
  if (!fs.existsSync(binary)) return { path: null, skip: `the Electron binary is not installed (${binary} is missing); ${howTo}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { path: null, skip: 'Electron is installed but there is no display: run the tests under `xvfb-run`' };
  return { path: binary, skip: false };
}
