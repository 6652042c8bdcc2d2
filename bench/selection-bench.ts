import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateDemoImages } from '../src/main/stages/demo/generate-demo';
import { runEvaluation } from '../src/main/stages/evaluate/run-evaluation';
import { importFolder } from '../src/main/stages/import/import-folder';
import { importLabels } from '../src/main/stages/labels/import-labels';
import { embedSamples } from '../src/main/stages/embed/embed';
import { loadTf } from '../src/main/stages/train/tf-backend';
import { trainAutoencoder } from '../src/main/stages/train/train';
import { listEvaluationRecords } from '../src/main/store/evaluation-store';
import { Project } from '../src/main/store/project';
import { evaluationSettingsSchema } from '../src/shared/contract/evaluation-requests';
import type { EvaluationRecord, StrategyName } from '../src/shared/domain';
import { encoderKinds, isEncoderKind } from '../src/shared/encoder-kinds';
import { writeRotatedDigits } from './selection/rotated-digits';

/**
 * `npm run bench -- selection [--quick] [--sets digits,demo] [--encoders autoencoder,contrastive] [--seeds 3] [--scale F] [--strategies LIST] [--budgets LIST] [--epochs N] [--out DIR]`:
 * every selection strategy against random on two rotated sets — real
 * handwritten digits from the `mnist` package (one digit as items ×
 * near-identical variants, the others distinct) and the demo — through the
 * product's own path: import, train each encoder (the paper's autoencoder and
 * the contrastive one), embed, `evaluate`
 * (unchanged regressor, grouped split keeping each item — an object in one
 * pose, the truth about near-copies — on one side). The encoder is trained again for
 * every seed, so the spread covers the encoder's training as well as the
 * regressor's. Prints plain and balanced error per strategy and budget
 * (mean ± sd over seeds), the paired difference against random (same seed),
 * labels saved, and the time per encoder. `--quick` runs a small version.
 * A seed whose project in `--out` already holds a finished evaluation (an
 * earlier run stopped later) is read back instead of run again.
 */
export async function run(args: string[]): Promise<void> {
  const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
  const quick = args.includes('--quick');
  const sets = option('sets', 'digits,demo').split(',');
  const seeds = Number(option('seeds', quick ? '2' : '3'));
  const encoders = option('encoders', 'autoencoder,contrastive').split(',').map((e) => {
    if (!isEncoderKind(e)) throw new Error(`--encoders: '${e}' is not one of ${encoderKinds.join(', ')}`);
    return e;
  });
  const strategies = option('strategies', 'random,fps,typiclust,fps-dense,probcover,auto').split(',') as StrategyName[];
  const budgets = option('budgets', quick ? '25,50,100' : '25,50,100,200,400,800').split(',').map(Number);
  const epochs = Number(option('epochs', quick ? '3' : '20'));
  const scale = Number(option('scale', '1'));
  const out = option('out', path.join(os.tmpdir(), `farpoint-selection-bench-${process.pid}`));
  const regressor = quick ? { steps: 60, epochs: 0, inputSize: 32 } : {};
  console.log(`selection bench${quick ? ' (quick)' : ''}: sets ${sets.join(', ')}; encoders ${encoders.join(', ')}; ${seeds} seeds (encoder trained per seed); budgets ${budgets.join(', ')}; encoder epochs ≤ ${epochs}`);
  console.log(`${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}; projects in ${out}`);
  await fs.mkdir(out, { recursive: true });
  const runtime = await loadTf();
  console.log(`backend ${runtime.backend}`);

  for (const set of sets) {
    const data = path.join(out, set);
    const { csv, groupColumn } = await buildSet(set, data, quick, scale);
    for (const encoder of encoders) {
      const records: EvaluationRecord[] = [];
      const encoderSeconds: number[] = [];
      // CPU seconds (every thread of the process) beside wall seconds: a loaded machine stretches the wall clock only.
      const encoderCpuSeconds: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const file = path.join(out, `${set}-${encoder}-seed${seed}.farpoint`);
        const finished = finishedRun(file, strategies, budgets);
        if (finished) {
          // A seed a stopped run finished (same --out): its evaluation is read back, not run again.
          records.push(finished.record);
          encoderSeconds.push(finished.encoderSeconds);
          encoderCpuSeconds.push(finished.encoderCpuSeconds);
          console.log(`  ${set} ${encoder} seed ${seed}: read back from ${path.basename(file)} (finished by an earlier run)`);
          continue;
        }
        await fs.rm(file, { force: true });
        await fs.rm(`${file}.encoder.json`, { force: true });
        const project = Project.create(file);
        try {
          await importFolder(project.db, path.join(data, 'images'));
          importLabels(project.db, csv, 'bench');
          const started = performance.now();
          const cpuBefore = process.cpuUsage();
          const trained = await trainAutoencoder(project.db, { seed, epochs, fresh: true, encoder });
          await embedSamples(project.db, { modelId: trained.modelId });
          encoderSeconds.push((performance.now() - started) / 1000);
          const cpu = process.cpuUsage(cpuBefore);
          encoderCpuSeconds.push((cpu.user + cpu.system) / 1e6);
          const settings = evaluationSettingsSchema.parse({ strategies, budgets, repeats: 1, seed, groupColumn, splitColumn: 'item', ...regressor });
          const record = await runEvaluation(project.db, settings);
          records.push(record);
          // Beside the project, so a later run can read this seed back (finishedRun).
          writeFileSync(`${file}.encoder.json`, JSON.stringify({ wall: encoderSeconds.at(-1), cpu: encoderCpuSeconds.at(-1) }));
          console.log(
            `  ${set} ${encoder} seed ${seed}: encoder ${encoderSeconds.at(-1)!.toFixed(0)} s wall, ${encoderCpuSeconds.at(-1)!.toFixed(0)} s CPU (${trained.epochs} epochs, ${trained.imagesPerSecond.toFixed(0)} img/s), ` +
              `evaluate ${record.results.seconds.toFixed(0)} s, pool ${record.results.data.pool}, test ${record.results.data.test}, ` +
              `${record.results.data.duplicateClusters} groups kept whole (${record.results.data.splitFrom}), ` +
              `${record.results.data.tooLargeToHoldOut?.groups ?? 0} too large to hold out (${record.results.data.tooLargeToHoldOut?.rows ?? 0} samples, left in the pool)`,
          );
        } finally {
          project.close();
        }
      }
      printTable(`${set}, ${encoder} encoder`, records, strategies, budgets, encoderSeconds, encoderCpuSeconds);
    }
  }
}

/** `scale` multiplies the set's size (quick: 300 images each; full: the issue's 150 × 8 + 800 digits and the whole demo). */
async function buildSet(set: string, dir: string, quick: boolean, scale: number): Promise<{ csv: string; groupColumn: string }> {
  await fs.rm(dir, { recursive: true, force: true });
  if (set === 'digits') {
    const items = Math.round((quick ? 20 : 150) * scale);
    const { csv, images } = await writeRotatedDigits(dir, { items, variants: 8, others: Math.round((quick ? 140 : 800) * scale) });
    console.log(`digits: ${images} images (${items} items × 8 variants of one digit, the rest distinct)`);
    return { csv, groupColumn: 'digit' };
  }
  if (set === 'demo') {
    const images = await generateDemoImages(dir, { scale: (quick ? 0.15 : 1) * scale });
    console.log(`demo: ${images.length} images`);
    return { csv: path.join(dir, 'angles.csv'), groupColumn: 'object_type' };
  }
  throw new Error(`unknown set '${set}': digits or demo`);
}

function printTable(set: string, records: EvaluationRecord[], strategies: StrategyName[], budgets: number[], encoderSeconds: number[], encoderCpuSeconds: number[]): void {
  const value = (r: EvaluationRecord, s: StrategyName, b: number, metric: 'plain' | 'balanced') =>
    r.results.curves.find((c) => c.strategy === s)?.points.find((p) => p.budget === b && !p.skipped)?.[metric]?.mean ?? null;
  console.log(`\n${set}: error in degrees, mean ± sd over ${records.length} seeds; Δ = paired difference against random (same seed), negative is better`);
  console.log(`encoder (train + embed): ${fmt(encoderSeconds)} s wall, ${fmt(encoderCpuSeconds)} s CPU per seed`);
  console.log(['strategy', 'budget', 'plain', 'balanced', 'Δplain', 'Δbalanced'].map((h) => h.padStart(12)).join(''));
  for (const s of strategies) {
    for (const b of budgets) {
      const plain = records.map((r) => value(r, s, b, 'plain'));
      if (plain.some((v) => v === null)) continue;
      const balanced = records.map((r) => value(r, s, b, 'balanced')!);
      const dPlain = records.map((r, k) => plain[k]! - value(r, 'random', b, 'plain')!);
      const dBalanced = records.map((r, k) => balanced[k]! - value(r, 'random', b, 'balanced')!);
      const cells = [s, String(b), fmt(plain as number[]), fmt(balanced), s === 'random' ? '' : fmt(dPlain), s === 'random' ? '' : fmt(dBalanced)];
      console.log(cells.map((c) => c.padStart(12)).join(''));
    }
  }
  console.log("labels saved (balanced; labels to reach random's error at the largest budget, interpolated), mean over seeds:");
  for (const s of strategies.filter((x) => x !== 'random')) {
    const saved = records.map((r) => r.results.labelsSaved.find((l) => l.strategy === s && l.metric === 'balanced')?.saved ?? null);
    const reached = saved.filter((v): v is number => v !== null);
    console.log(`  ${s}: ${reached.length ? `${fmt(reached)} saved` : 'never reached'}${reached.length < saved.length ? ` (reached in ${reached.length} of ${saved.length} seeds)` : ''}`);
  }
}

function fmt(values: number[]): string {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1)) : 0;
  return `${m.toFixed(1)}±${sd.toFixed(1)}`;
}

/**
 * The evaluation a seed's project already holds, when an earlier run with the
 * same `--out` finished it (the bench takes hours at full size; a stopped run
 * keeps its finished seeds): same strategies and budgets, or null.
 */
function finishedRun(file: string, strategies: StrategyName[], budgets: number[]): { record: EvaluationRecord; encoderSeconds: number; encoderCpuSeconds: number } | null {
  if (!existsSync(file)) return null;
  const project = Project.open(file);
  try {
    const record = listEvaluationRecords(project.db).find(
      (r) => JSON.stringify(r.settings.strategies) === JSON.stringify(strategies) && JSON.stringify(r.settings.budgets) === JSON.stringify(budgets),
    );
    const timesFile = `${file}.encoder.json`;
    if (!record || !existsSync(timesFile)) return null;
    const times = JSON.parse(readFileSync(timesFile, 'utf8')) as { wall: number; cpu: number };
    return { record, encoderSeconds: times.wall, encoderCpuSeconds: times.cpu };
  } finally {
    project.close();
  }
}
