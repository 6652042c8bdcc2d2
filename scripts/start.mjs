// `npm start`: the two-command start (after `npm install`). Generates the demo
// project on first run, then opens it in the Electron app, or, where the
// Electron binary is not installed, serves the same UI to a browser.
// Runs until Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'farpoint.js');
const demoDir = path.join(root, '.farpoint-demo');
const demoProject = path.join(demoDir, 'demo.farpoint');
// Written only after the generator and the import both finished, so an interrupted first run is redone.
const readyMarker = path.join(demoDir, '.ready');

/** Runs one CLI command with its progress in this terminal; exits with a message when it fails. */
function runCli(args, what) {
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`farpoint: ${what} failed (see above)`);
    process.exit(result.status ?? 1);
  }
}

// Epochs of the demo's first training: enough for a useful queue and map, short enough for a first start.
const DEMO_EPOCHS = '3';

function ensureDemo() {
  if (fs.existsSync(readyMarker) && fs.existsSync(demoProject)) return;
  console.log(`farpoint: generating the demo project in ${path.relative(root, demoDir)}/ (first run only)…`);
  const scale = process.env.FARPOINT_DEMO_SCALE ? ['--scale', process.env.FARPOINT_DEMO_SCALE] : [];
  runCli(['demo', demoDir, ...scale], 'generating the demo project');
  // Train and embed before the first screen, so the app opens with a furthest-point queue and a latent map.
  // `train` only trains (it says "then run farpoint embed"); both resume where an interrupted first run stopped.
  console.log(`farpoint: training the demo's autoencoder (${DEMO_EPOCHS} epochs, first run only)…`);
  runCli(['train', demoProject, '--epochs', DEMO_EPOCHS], 'training the demo model');
  console.log('farpoint: embedding the demo images with the trained model…');
  runCli(['embed', demoProject], 'embedding the demo images');
  fs.writeFileSync(readyMarker, `${new Date().toISOString()}\n`);
}

/**
 * The Electron binary's path, or null with the reason it cannot be used.
 * Never `require('electron')` from Node: when the binary is missing, that
 * require starts downloading it, and this must work with no network.
 */
function findElectron() {
  const pkg = path.join(root, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(pkg, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  if (!override && !relative) return { binary: null, reason: 'the Electron binary is not installed (node_modules/electron has no path.txt)' };
  const binary = override ? path.join(override, relative || 'electron') : path.join(pkg, 'dist', relative);
  if (!fs.existsSync(binary)) return { binary: null, reason: `the Electron binary is not installed (${path.relative(root, binary)} is missing)` };
  return { binary };
}

/**
 * Runs a child until it ends. It gets its own process group, so Ctrl+C in
 * the terminal reaches only this script, which passes each stop signal on
 * exactly once (a second SIGINT would cut the child's clean shutdown short).
 */
function runUntilStopped(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, detached: true });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  child.on('error', (err) => {
    console.error(`farpoint: cannot start ${command}: ${err.message}`);
    process.exit(1);
  });
}

/**
 * Electron 45 fetches its binary on first use rather than at install: try
 * that once (quick to fail offline), so a machine with internet gets the
 * desktop app from the same two commands.
 */
function tryDownloadElectron() {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!fs.existsSync(installer)) return;
  console.log('farpoint: fetching the Electron binary (first run only)…');
  const result = spawnSync(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' });
  if (result.status !== 0) {
    const reason = (result.stderr || '').split('\n').find((line) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/i.test(line)) ?? 'download failed';
    console.log(`farpoint: could not fetch the Electron binary (${reason.trim().slice(0, 160)})`);
  }
}

ensureDemo();
let electron = findElectron();
if (!electron.binary && !process.env.FARPOINT_NO_ELECTRON_DOWNLOAD) {
  tryDownloadElectron();
  electron = findElectron();
}
if (electron.binary) {
  console.log(`farpoint: opening ${path.relative(root, demoProject)} in the desktop app`);
  runUntilStopped(electron.binary, [root, `--project=${demoProject}`]);
} else {
  console.log(`farpoint: ${electron.reason}; it can only be fetched on a machine with internet.`);
  console.log('farpoint: serving the same UI to your browser instead (farpoint serve) — open the URL below.');
  const port = process.env.FARPOINT_PORT ? ['--port', process.env.FARPOINT_PORT] : [];
  runUntilStopped(process.execPath, [cli, 'serve', demoProject, ...port]);
}
