import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { requestNames } from '../../src/shared/contract';
import { Project } from '../../src/main/store/project';
import { launchChromium } from '../helpers/browser';
import { repoRoot } from '../helpers/cli';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

/**
 * "The app never touches the network", proven on the web front door: the
 * real `farpoint serve` runs with a recorder in every thread and child
 * process of its Node side, a real Chromium drives the flow with every
 * request recorded through Playwright and the DevTools protocol, and the
 * test fails on any destination that is not this machine.
 */
const recorder = path.join(repoRoot, 'test', 'electron', 'support', 'network-recorder.cjs');
const cliSource = path.join(repoRoot, 'src', 'main', 'doors', 'cli', 'main.ts');
const dir = tempDir('farpoint-no-network-');

interface NetRecord {
  pid: number;
  thread: string;
  kind: string;
  host?: string;
  port?: number | string;
  path?: string;
  loopback?: boolean;
}

function readRecords(file: string): NetRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as NetRecord);
}

/** Node with the recorder in this process, any Node it starts (NODE_OPTIONS) and every worker thread (the recorder injects itself). */
function recordedEnv(logFile: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    FARPOINT_NET_LOG: logFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${recorder}`.trim(),
    FARPOINT_CONFIG_DIR: path.join(dir, 'config'),
  };
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

test('the recorder sees, and stops, attempts to leave the machine from the main thread, a worker thread and a child process', async () => {
  const logFile = path.join(dir, 'sanity.log');
  const script = path.join(dir, 'leaky.mjs');
  const worker = path.join(dir, 'leaky-worker.mjs');
  fs.writeFileSync(worker, "import net from 'node:net';\nnet.connect(80, '192.0.2.10').on('error', () => {});\n");
  fs.writeFileSync(
    script,
    [
      "import { execFileSync } from 'node:child_process';",
      "import dns from 'node:dns';",
      "import { Worker } from 'node:worker_threads';",
      "await fetch('https://192.0.2.11/telemetry').catch(() => {});",
      "await dns.promises.lookup('updates.example.org').catch(() => {});",
      `await new Promise((resolve) => new Worker(${JSON.stringify(worker)}).on('exit', resolve));`,
      // The compute channel's shape when running from sources: an eval worker with its own execArgv, which runs no preload.
      "await new Promise((resolve) => new Worker(\"require('net').connect(80, '192.0.2.13').on('error', () => {})\", { eval: true, execArgv: [] }).on('exit', resolve));",
      "execFileSync(process.execPath, ['-e', \"require('net').connect(443, '192.0.2.12').on('error', () => {})\"]);",
    ].join('\n'),
  );
  const child = spawn(process.execPath, [script], { env: recordedEnv(logFile), stdio: 'ignore' });
  assert.equal(await waitForExit(child), 0);
  const leaks = readRecords(logFile).filter((r) => r.loopback === false);
  const seen = (host: string, thread?: RegExp) => leaks.some((r) => r.host === host && (!thread || thread.test(r.thread)));
  assert.ok(seen('192.0.2.11', /^main$/), 'fetch from the main thread');
  assert.ok(seen('updates.example.org', /^main$/), 'DNS lookup');
  assert.ok(seen('192.0.2.10', /^worker-/), 'socket from a worker thread');
  assert.ok(seen('192.0.2.13', /^worker-/), 'socket from an eval worker thread');
  assert.ok(leaks.some((r) => r.host === '192.0.2.12' && r.pid !== child.pid), 'socket from a child process');
});

/** Requests the flow may make beyond import and labels, run when this build's contract has them. */
interface OptionalStep {
  step: string;
  name: RegExp;
  args: unknown[];
}
const optionalSteps: OptionalStep[] = [
  { step: 'train', name: /^(train|startTrain)/i, args: [{ epochs: 1 }, { maxEpochs: 1 }, {}] },
  { step: 'embed', name: /^(embed|startEmbed)/i, args: [{}] },
  { step: 'queue', name: /^(get|build|compute|next).*queue|^queue|^nextToLabel/i, args: [{ limit: 10 }, {}] },
  { step: 'map', name: /map|pca/i, args: [{}] },
  { step: 'duplicates', name: /duplicate/i, args: [{}] },
  { step: 'evaluate', name: /^(evaluate|startEvaluation|runEvaluation)/i, args: [{}] },
  {
    step: 'export',
    name: /^export/i,
    args: [
      { path: path.join(dir, 'export.csv'), format: 'csv' },
      { file: path.join(dir, 'export.csv'), format: 'csv' },
      { path: path.join(dir, 'export.csv') },
      { file: path.join(dir, 'export.csv') },
      { format: 'csv' },
      {},
    ],
  },
];

interface CallResult {
  status: number;
  body: { result?: unknown; error?: string };
}

/** A contract call made by the page itself, as the web client makes it, so Chromium's side is what is recorded. */
function pageCall(page: Page, name: string, arg: unknown): Promise<CallResult> {
  return page.evaluate(
    async ([requestName, requestArg]) => {
      // The token the page took from the launch URL (launch-token.ts), sent as the web client sends it.
      const headers = { Authorization: `Bearer ${sessionStorage.getItem('farpoint.token')}`, 'Content-Type': 'application/json' };
      const res = await fetch(`/api/call/${requestName}`, { method: 'POST', headers, body: JSON.stringify(requestArg) });
      return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string } };
    },
    [name, arg] as const,
  );
}

function isJob(value: unknown): value is { id: string; state: string; error: string | null } {
  return typeof value === 'object' && value !== null && 'id' in value && 'kind' in value && 'state' in value;
}

async function waitForJob(page: Page, id: string, timeoutMs: number): Promise<{ state: string; error: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await pageCall(page, 'getJob', { id });
    const job = body.result as { state: string; error: string | null };
    if (['done', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) return { state: 'timed out', error: `still ${job.state} after ${timeoutMs} ms` };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let server: ChildProcess | null = null;
let browser: Browser | null = null;
after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await waitForExit(server);
  }
});

test('the whole flow (import, label; train, embed, queue, map, duplicates, evaluate, export where this build has them) through the web front door never leaves loopback', { timeout: 600_000 }, async (t) => {
  const images = path.join(dir, 'images');
  await writeImageFolder(images, 24, 64);
  const projectFile = path.join(dir, 'flow.farpoint');
  Project.create(projectFile).close();

  const logFile = path.join(dir, 'server-net.log');
  server = spawn(process.execPath, ['--import', 'tsx', cliSource, 'serve', projectFile, '--json'], { env: recordedEnv(logFile), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = await new Promise<{ url: string }>((resolve, reject) => {
    server!.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve(JSON.parse(stdout) as { url: string });
      } catch {
        // The JSON is not complete yet.
      }
    });
    server!.once('exit', (code) => reject(new Error(`farpoint serve exited with ${code}: ${stderr}`)));
  });

  browser = await launchChromium();
  const context = await browser.newContext();
  const page = await context.newPage();
  const browserRequests: string[] = [];
  page.on('request', (request) => browserRequests.push(request.url()));
  page.on('websocket', (socket) => browserRequests.push(socket.url()));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => browserRequests.push(event.request.url));
  cdp.on('Network.webSocketCreated', (event) => browserRequests.push(event.url));

  await page.goto(started.url, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => document.body.innerText.includes('Farpoint'));

  const covered: string[] = [];
  const notCovered: string[] = [];

  // Import, as the UI does it: a job in the compute worker.
  const imported = await pageCall(page, 'importFolder', { folder: images });
  assert.equal(imported.status, 200, imported.body.error);
  assert.ok(isJob(imported.body.result));
  const importJob = await waitForJob(page, imported.body.result.id, 120_000);
  assert.equal(importJob.state, 'done', importJob.error ?? '');
  covered.push('import (job in the compute worker)');

  // Label, as the annotation tool does.
  const list = await pageCall(page, 'listSamples', { limit: 12 });
  const samples = (list.body.result as { samples: { id: number }[] }).samples;
  assert.equal(samples.length, 12);
  for (const [i, sample] of samples.entries()) {
    const saved = await pageCall(page, 'saveLabel', { sampleId: sample.id, angle: (37 * i) % 360 });
    assert.equal(saved.status, 200, saved.body.error);
  }
  covered.push('label (saveLabel)');

  for (const { step, name, args } of optionalSteps) {
    const request = requestNames.find((candidate) => name.test(candidate) && candidate !== 'importFolder' && candidate !== 'lastImportReport');
    if (!request) {
      notCovered.push(`${step} (no such request in this build)`);
      continue;
    }
    let outcome = `${step}: ${request} refused every argument tried`;
    for (const arg of args) {
      const reply = await pageCall(page, request, arg);
      if (reply.status === 400) continue;
      if (reply.status !== 200) {
        outcome = `${step}: ${request} answered ${reply.status} ${reply.body.error ?? ''}`;
        break;
      }
      if (isJob(reply.body.result)) {
        const job = await waitForJob(page, reply.body.result.id, 240_000);
        outcome = job.state === 'done' ? '' : `${step}: ${request} job ${job.state} ${job.error ?? ''}`;
      } else outcome = '';
      break;
    }
    if (outcome === '') covered.push(`${step} (${request})`);
    else notCovered.push(outcome);
  }

  // The images the UI shows, and a fresh load of the UI with its sample grid.
  // (No named functions inside: the TypeScript loader would wrap them in a helper the page does not have.)
  // Images go by the run's view key, which the page gets with its token (request-guard.ts).
  const viewKey = await page.evaluate(async () => {
    const headers = { Authorization: `Bearer ${sessionStorage.getItem('farpoint.token')}`, 'Content-Type': 'application/json' };
    const res = await fetch('/api/view-key', { method: 'POST', headers, body: '{}' });
    return ((await res.json()) as { result: { viewKey: string } }).result.viewKey;
  });
  const loaded = await page.evaluate(
    ([ids, key]) =>
      Promise.all(
        ids
          .flatMap((id) => [`/media/thumb/${id}?key=${key}`, `/media/image/${id}?max=128&key=${key}`])
          .map(
            (src) =>
              new Promise<number>((resolve) => {
                const img = new Image();
                img.onload = () => resolve(img.naturalWidth);
                img.onerror = () => resolve(0);
                img.src = src;
              }),
          ),
      ),
    [samples.slice(0, 5).map((s) => s.id), viewKey] as const,
  );
  assert.ok(loaded.every((width) => width > 0), `every image loads: ${loaded.join(',')}`);
  await page.reload({ waitUntil: 'networkidle' });
  covered.push('thumbnails and images, UI reload');

  t.diagnostic(`covered: ${covered.join('; ')}`);
  if (notCovered.length > 0) t.diagnostic(`not covered: ${notCovered.join('; ')}`);

  await browser.close();
  browser = null;
  const serverPid = server.pid;
  server.kill('SIGINT');
  assert.equal(await waitForExit(server), 0, `farpoint serve stops cleanly on Ctrl+C: ${stderr}`);
  server = null;

  // Chromium: every request went to this machine.
  assert.ok(browserRequests.length >= 20, `the browser recorder saw the flow (${browserRequests.length} requests)`);
  const remote = [...new Set(browserRequests)].filter((url) => {
    const parsed = new URL(url);
    if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  });
  assert.deepEqual(remote, [], 'Chromium requested something off this machine');

  // Node: the recorder ran in the server's main thread and its compute worker, and saw nothing leave.
  const records = readRecords(logFile);
  const serverRecords = records.filter((r) => r.pid === serverPid);
  assert.ok(serverRecords.some((r) => r.kind === 'recorder-ready' && r.thread === 'main'), 'recorder active in the server');
  assert.ok(serverRecords.some((r) => r.kind === 'recorder-ready' && r.thread.startsWith('worker-')), 'recorder active in the compute worker');
  const leaks = records.filter((r) => r.loopback === false);
  assert.deepEqual(leaks, [], 'the Node side tried to reach another machine');
});
