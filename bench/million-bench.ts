import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobContext } from '../src/main/core/job-types';
import { neighbourGraphJob } from '../src/main/stages/duplicates/neighbour-graph-job';
import { embedSamples } from '../src/main/stages/embed/embed';
import { importFolder } from '../src/main/stages/import/import-folder';
import { latentMapJob } from '../src/main/stages/map/latent-map-job';
import { queueJob } from '../src/main/stages/select/queue-job';
import { trainAutoencoder } from '../src/main/stages/train/train';
import { Project } from '../src/main/store/project';
import { DEFAULT_MAX_TRAINING_IMAGES } from '../src/shared/contract/ml-requests';
import { currentModelId } from '../src/main/store/settings';
import { writeShapeImages } from '../test/helpers/shape-images';

/**
 * `npm run bench -- million [N] [--epochs E] [--train-cap C] [--dir DIR] [--keep] [--from STAGE]`
 * (N defaults to 1,000,000; CI never runs it): the whole pipeline at N
 * samples, a stage per child process so that each stage's peak RSS is its
 * own (process.resourceUsage().maxRSS of that child, all its threads:
 * sharp's, the read pool's, the training and embedding helpers'). Prints per
 * stage wall time, CPU time (process.cpuUsage of the child, all threads),
 * peak RSS, and the load average beside them, then the project file's size.
 *
 * The images: N small grayscale PNGs (64–128 px) of shapes on textures, a
 * few per cent near-copies (test/helpers/shape-images.ts, which the
 * 20,000-sample soak writes too), in folders of 1,000.
 *
 * The stages call what the app calls: importFolder, trainAutoencoder (few
 * epochs, on a seeded sample of at most C images: maxTrainingImages, default
 * the app's DEFAULT_MAX_TRAINING_IMAGES), embedSamples (every sample), and the compute worker's job handlers for the map
 * projection (latentMapJob), the queue orders (queueJob: fps, typiclust,
 * probcover, auto, each to the depth the app's first queue job asks for) and
 * the duplicate graph (neighbourGraphJob). The last stage, `ui` (needs `npm run
 * build`), opens the product's web server on the project in Chromium
 * (bench/million-ui-stage.ts): first screen, queue page 1 and a deep page,
 * map pan/zoom, 50 labels typed in Annotate, a reopen, and the server's
 * event-loop delay; its wall, CPU and RSS are the driving process's, the
 * figures that matter are its detail lines. Its labels are saved in the
 * project: a rerun `--from ui` starts with 50 more.
 */

const STAGES = ['generate', 'import', 'train', 'embed', 'map', 'queue fps', 'queue typiclust', 'queue probcover', 'queue auto', 'duplicates', 'ui'] as const;
type Stage = (typeof STAGES)[number];

/** The depth of the app's first queue job (QUEUE_JOB_DEPTH in the app's selection handlers). */
const QUEUE_DEPTH = 1_000;

interface StageResult {
  wall: number;
  cpu: number;
  /** Peak RSS of the child (bytes), and its RSS before the stage began (the runtime and the modules). */
  peak: number;
  baseline: number;
  load: number[];
  detail: string;
}

export async function run(args: string[]): Promise<void> {
  if (args[0] === '--stage') return stageChild(args[1] as Stage, args[2]!, Number(args[3]), Number(args[4]), Number(args[5]));
  const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const n = Number(args[0] && !args[0].startsWith('--') ? args[0] : 1_000_000);
  const epochs = Number(option('epochs') ?? 1);
  const cap = Number(option('train-cap') ?? DEFAULT_MAX_TRAINING_IMAGES);
  const dir = option('dir') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-million-'));
  fs.mkdirSync(dir, { recursive: true });
  const from = option('from');
  const first = from ? STAGES.indexOf(from as Stage) : 0;
  if (first < 0) throw new Error(`--from: '${from}' is not one of ${STAGES.join(', ')}`);
  console.log(`million bench: N=${n.toLocaleString()}, ${epochs} training epoch(s) on at most ${cap.toLocaleString()} images, ${os.availableParallelism()} cores, in ${dir}; load average ${loadText(os.loadavg())}`);
  console.log('each stage runs in a child process: wall / CPU (all its threads) / peak RSS of that child (its RSS before the stage in brackets: the runtime and modules)');
  const results: [Stage, StageResult][] = [];
  try {
    for (const stage of STAGES.slice(first)) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'index.ts'), 'million', '--stage', stage, dir, String(n), String(epochs), String(cap)], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (child.status !== 0 || !line) {
        console.log(`${stage}: failed (exit ${child.status}): ${child.stderr.split('\n').slice(-6).join(' | ')}`);
        break;
      }
      const result = JSON.parse(line.slice('RESULT '.length)) as StageResult;
      results.push([stage, result]);
      console.log(`${stage.padEnd(16)} ${fmtResult(result)}  ${result.detail}`);
    }
  } finally {
    console.log('\nper stage:');
    console.log(['stage', 'wall s', 'CPU s', 'peak RSS MiB', 'base MiB', 'load (1 min)'].map((h, i) => (i === 0 ? h.padEnd(16) : h.padStart(13))).join(''));
    for (const [stage, r] of results) {
      console.log([stage.padEnd(16), ...[r.wall / 1000, r.cpu / 1000].map((v) => v.toFixed(1).padStart(13)), mib(r.peak).padStart(13), mib(r.baseline).padStart(13), loadText(r.load).padStart(13)].join(''));
    }
    const file = path.join(dir, 'million.farpoint');
    const onDisk = ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (fs.statSync(file + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
    console.log(`project file on disk: ${mib(onDisk)} MiB (${(onDisk / Math.max(1, n)).toFixed(0)} bytes per sample; with -wal and -shm)`);
    console.log(`images on disk: ${mib(folderBytes(path.join(dir, 'images')))} MiB`);
    if (!args.includes('--keep') && !option('dir')) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fmtResult(r: StageResult): string {
  return `${(r.wall / 1000).toFixed(1)} s wall / ${(r.cpu / 1000).toFixed(1)} s CPU / peak RSS ${mib(r.peak)} MiB (before ${mib(r.baseline)} MiB), load ${loadText(r.load)}`;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function loadText(load: number[]): string {
  return load.slice(0, 1).map((l) => l.toFixed(1)).join(' ');
}

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Runs one stage in this (child) process and prints its RESULT line. */
async function stageChild(stage: Stage, dir: string, n: number, epochs: number, cap: number): Promise<void> {
  const file = path.join(dir, 'million.farpoint');
  const baseline = process.resourceUsage().maxRSS * 1024;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const detail = await runStage(stage, dir, file, n, epochs, cap);
  const used = process.cpuUsage(cpu);
  const result: StageResult = {
    wall: performance.now() - started,
    cpu: (used.user + used.system) / 1000,
    peak: process.resourceUsage().maxRSS * 1024,
    baseline,
    load: os.loadavg(),
    detail,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  // The worker threads some stages leave idle (sharp's, TensorFlow's) must not hold the child open.
  process.exit(0);
}

async function runStage(stage: Stage, dir: string, file: string, n: number, epochs: number, cap: number): Promise<string> {
  if (stage === 'generate') {
    const written = await writeShapeImages(path.join(dir, 'images'), n);
    return `${n.toLocaleString()} PNGs (64–128 px grayscale, ${written.nearCopies.toLocaleString()} near-copies), ${mib(written.bytes)} MiB`;
  }
  if (stage === 'ui') {
    // Loaded by a computed path so the Node-only type-check does not pull in its browser code (checked with the DOM library).
    const { uiStage } = (await import(['.', 'million-ui-stage'].join('/'))) as { uiStage: (file: string, n: number) => Promise<string> };
    return uiStage(file, n);
  }
  if (stage === 'import') {
    fs.rmSync(file, { force: true });
    const project = Project.create(file);
    try {
      const s = await importFolder(project.db, path.join(dir, 'images'));
      return `${s.imported.toLocaleString()} imported, ${s.duplicates.length} exact duplicates, ${s.skipped.length} skipped`;
    } finally {
      project.close();
    }
  }
  if (stage === 'train' || stage === 'embed') {
    const project = Project.open(file);
    try {
      if (stage === 'train') {
        const t = await trainAutoencoder(project.db, { epochs, fresh: true, seed: 1, maxTrainingImages: cap });
        return `model ${t.modelId}: ${t.epochs} epoch(s) on ${(t.trainImages + t.valImages).toLocaleString()} of ${t.poolImages.toLocaleString()} samples (train + validation, cap ${cap.toLocaleString()}), ${t.threads} thread(s), ${t.imagesPerSecond.toFixed(0)} images/s, val loss ${t.valLoss.toFixed(4)}`;
      }
      const e = await embedSamples(project.db);
      return `${e.count.toLocaleString()} × ${e.dimension} embedded, ${e.imagesPerSecond.toFixed(0)} images/s, ${e.unreadable.length} unreadable`;
    } finally {
      project.close();
    }
  }
  const ctx: JobContext = { projectPath: file, progress: () => {}, isCancelled: () => false };
  if (stage === 'map') {
    const project = Project.open(file);
    const model = currentModelId(project.db);
    project.close();
    if (model === null) throw new Error('no current model: run train and embed first');
    const r = (await latentMapJob({ modelId: model }, ctx)) as { count: number };
    return `${r.count.toLocaleString()} points projected (PCA, stored)`;
  }
  if (stage === 'duplicates') {
    const r = await neighbourGraphJob({ k: 10 }, ctx);
    return JSON.stringify(r).slice(0, 200);
  }
  const strategy = stage.slice('queue '.length) as 'fps' | 'typiclust' | 'probcover' | 'auto';
  const r = (await queueJob({ strategy, upTo: QUEUE_DEPTH }, ctx)) as { computed: number; total: number; stored: boolean; stale: boolean };
  return `${strategy}: ${r.computed.toLocaleString()} of ${r.total.toLocaleString()} entries computed (depth ${QUEUE_DEPTH}), stored ${r.stored}, stale ${r.stale}`;
}
