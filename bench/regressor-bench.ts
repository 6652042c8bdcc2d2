import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { angularErrors, mean, summarizeErrors } from '../src/main/core/evaluation/circular-metrics';
import { loadPixels } from '../src/main/stages/evaluate/regressor/image-pixels';
import { predictAngles, trainRegressor } from '../src/main/stages/evaluate/regressor/train-regressor';
import { seededShuffle } from '../src/main/core/evaluation/seeded-shuffle';
import { loadTf } from '../src/main/stages/train/tf-backend';

/**
 * `npm run bench -- regressor DEMO_DIR [--size 32] [--steps 100,300] [--budget 400] [--seed 1]`:
 * the orientation regressor on the demo image set (`farpoint demo DEMO_DIR`),
 * trained on a seeded random `budget` of the images for each step count and
 * scored on 400 others, with the error per object type (common kinds in fixed
 * poses, rare kinds at any angle) and the cost per step. This is how the
 * evaluation's regressor defaults were chosen; guessing scores about 90°.
 */
export async function run(args: string[]): Promise<void> {
  const dir = args[0];
  if (!dir || dir.startsWith('--')) throw new Error('usage: npm run bench -- regressor DEMO_DIR [--size 32] [--steps 100,300] [--budget 400] [--seed 1]');
  const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
  const size = Number(option('size', '32'));
  const stepCounts = option('steps', '100,300').split(',').map(Number);
  const budget = Number(option('budget', '400'));
  const seed = Number(option('seed', '1'));

  const rows = fs.readFileSync(path.join(dir, 'angles.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const files = rows.map((r) => path.join(dir, r[0]!));
  const angles = Float64Array.from(rows, (r) => Number(r[1]));
  const kinds = rows.map((r) => r[2] ?? '?');
  console.log(`regressor bench: ${files.length} demo images at ${size}×${size}, budget ${budget}; ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log('times are wall / this process\'s CPU: on a shared machine the wall time includes waiting for a core');

  let clock = startClock();
  const pixels = await loadPixels(files, size, 1);
  console.log(`decode once: ${clock()}`);
  const { tf, backend } = await loadTf();
  const order = seededShuffle(files.length, seed + 4);
  const test = order.slice(0, 400);
  const train = order.slice(400, 400 + budget);
  for (const steps of stepCounts) {
    clock = startClock();
    const { model, loss } = await trainRegressor(tf, pixels, train, train.map((r) => angles[r]!), 'full', { steps, batchSize: 32, learningRate: 2e-3, seed });
    const cost = clock();
    const predicted = await predictAngles(tf, model, pixels, test, 'full');
    model.dispose();
    const errors = angularErrors(predicted, test.map((r) => angles[r]!), 'full');
    const summary = summarizeErrors(errors);
    const byKind = new Map<string, number[]>();
    test.forEach((r, i) => byKind.set(kinds[r]!, [...(byKind.get(kinds[r]!) ?? []), errors[i]!]));
    const perKind = [...byKind].map(([k, e]) => `${k} ${mean(e).toFixed(0)}°`).join(', ');
    console.log(`${backend}, ${steps} steps on ${train.length}: ${cost}, final loss ${loss.toFixed(4)}; test mean ${summary.mean.toFixed(1)}°, median ${summary.median.toFixed(1)}° (${perKind})`);
  }
}

function startClock(): () => string {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return `${((performance.now() - wall) / 1000).toFixed(1)} s wall / ${((used.user + used.system) / 1e6).toFixed(1)} s CPU`;
  };
}
