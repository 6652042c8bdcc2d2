import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs';
import { generateDemoImages } from '../src/main/demo/generate-demo';
import { importFolder } from '../src/main/import/import-folder';
import { buildAutoencoder } from '../src/main/ml/autoencoder';
import { batchTensor } from '../src/main/ml/batches';
import { loadPixels } from '../src/main/ml/pixels';
import { backendNames, loadTf } from '../src/main/ml/tf-backend';
import { resolveTrainSettings, trainStep } from '../src/main/ml/train';
import { Project } from '../src/main/project/project';

/**
 * `npm run bench -- train [seconds]` and (through embed-bench) `embed`:
 * images/s of the default autoencoder (64×64 gray, latent 32, batch 32) on
 * 2,000 demo images, for every backend that starts here (each in its own
 * process, as FARPOINT_TF_BACKEND forces it), next to the same architecture
 * in PyTorch with 2 threads when /usr/bin/python3 has torch.
 */
export type Mode = 'train' | 'embed';
const GOALS: Record<Mode, number> = { train: 0.25, embed: 0.5 };
const here = path.dirname(fileURLToPath(import.meta.url));

export async function run(args: string[]): Promise<void> {
  await compare('train', Number(args[0] ?? 15));
}

export async function compare(mode: Mode, seconds: number): Promise<void> {
  const project = await demoProject();
  const rows: { name: string; rate: number | null; note: string }[] = [];
  for (const backend of backendNames) {
    const budget = backend === 'cpu' ? Math.min(seconds, 20) : seconds;
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'train-bench.ts'), '--child', mode, project, String(budget)], {
      encoding: 'utf8',
      env: { ...process.env, FARPOINT_TF_BACKEND: backend },
      timeout: (budget + 600) * 1000,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status === 0 && line.startsWith('{')) {
      const r = JSON.parse(line) as { imagesPerSecond: number; images: number; cpuSeconds: number; wallSeconds: number };
      rows.push({ name: `tfjs ${backend}`, rate: r.imagesPerSecond, note: `${r.images} images in ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU (${(r.images / r.cpuSeconds).toFixed(0)} images per CPU-second)` });
    } else {
      const reason = child.error?.message ?? child.stderr.split('\n').find((l) => /^\w*Error: /.test(l)) ?? `exit ${child.status}`;
      rows.push({ name: `tfjs ${backend}`, rate: null, note: `not available: ${reason.trim().slice(0, 200)}` });
    }
  }
  const torch = runTorch(mode, seconds);
  rows.push(torch);
  console.log(`\n${mode} speed, default autoencoder (64×64 gray, latent 32, batch ${mode === 'train' ? 32 : 256}), 2,000 demo images, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  for (const row of rows) console.log(`  ${row.name.padEnd(18)} ${row.rate === null ? '      —' : row.rate.toFixed(0).padStart(7)} images/s   ${row.note}`);
  const wasm = rows.find((r) => r.name === 'tfjs wasm')?.rate ?? null;
  if (wasm !== null && torch.rate !== null) {
    const ratio = wasm / torch.rate;
    console.log(`  wasm / PyTorch = ${ratio.toFixed(2)} (goal ≥ ${GOALS[mode]}): ${ratio >= GOALS[mode] ? 'MET' : 'NOT MET'}`);
  }
}

async function demoProject(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'farpoint-bench-ml');
  const file = path.join(dir, 'demo.farpoint');
  if (fs.existsSync(file)) return file;
  console.log(`generating and importing the 2,000-image demo set in ${dir} (kept for the next run) …`);
  await generateDemoImages(dir, { scale: 1 });
  const project = Project.create(file);
  await importFolder(project.db, path.join(dir, 'images'));
  project.close();
  return file;
}

function runTorch(mode: Mode, seconds: number): { name: string; rate: number | null; note: string } {
  const python = '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { name: 'PyTorch 2 threads', rate: null, note: `no torch for ${python} (apt-get install python3-torch)` };
  }
  const batch = mode === 'train' ? 32 : 256;
  const out = execFileSync(python, [path.join(here, 'torch_autoencoder.py'), mode, '64', '1', '32', String(batch), String(seconds)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { imagesPerSecond: number; torch: string };
  return { name: 'PyTorch 2 threads', rate: r.imagesPerSecond, note: `torch ${r.torch}, same layers, random pixels` };
}

/** Child process: one backend, the real training step or encoder over the demo pixels, for `seconds`. */
async function child(mode: Mode, file: string, seconds: number): Promise<void> {
  const { tf } = await loadTf();
  const project = Project.open(file);
  const settings = resolveTrainSettings(project.db, {});
  const { set } = await loadPixels(project.db, { size: settings.inputSize, channels: settings.channels });
  project.close();
  const ae = buildAutoencoder(tf, settings, settings.seed);
  const n = set.ids.length;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  let images = 0;
  let step: (start: number) => number;
  if (mode === 'train') {
    const optimizer = tf.train.adam(settings.learningRate);
    const variables = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as import('@tensorflow/tfjs').Variable);
    step = (start) => {
      const end = Math.min(n, start + settings.batchSize);
      trainStep(tf, ae, optimizer, variables, set, settings, rows, start, end);
      return end - start;
    };
  } else {
    step = (start) => {
      const end = Math.min(n, start + 256);
      const x = batchTensor(tf, set, settings, rows, start, end);
      const z = ae.encoder.predict(x) as Tensor;
      z.dataSync();
      tf.dispose([x, z]);
      return end - start;
    };
  }
  // Warm-up (kernel setup, XNNPACK operator caches); the cpu backend is too slow to spare it the time.
  if (tf.getBackend() !== 'cpu') {
    step(0);
    step(0);
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let cursor = 0;
  while (performance.now() - t0 < seconds * 1000 || images === 0) {
    images += step(cursor);
    cursor = cursor + (mode === 'train' ? settings.batchSize : 256);
    if (cursor >= n) cursor = 0;
    if (mode === 'embed' && images >= n && performance.now() - t0 > 2000) break;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ imagesPerSecond: images / wall, images, wallSeconds: wall, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
}

if (process.argv[2] === '--child') await child(process.argv[3] as Mode, process.argv[4]!, Number(process.argv[5]));
