import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workerThreadChannel } from '../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../src/main/app/handlers/handlers';
import { Session } from '../src/main/app/session';
import { generateDemoImages } from '../src/main/stages/demo/generate-demo';
import { importFolder } from '../src/main/stages/import/import-folder';
import { Project } from '../src/main/store/project';
import { suggestionFor } from '../src/renderer/lib/suggestions';
import { angularDifference } from '../src/shared/angles';
import type { FarpointApi } from '../src/shared/contract';
import type { JobInfo, QueuePage, RegressorSummary } from '../src/shared/domain';

/** Turns the annotation keys make (annotate-keys.ts): arrows, Shift+arrows, Q/E, Shift+Q/E, F. */
const NUDGES = [1, -1, 10, -10, 45, -45, 90, -90, 180];
/** Ctrl+arrows point straight up, right, down, left. */
const DIALS = [0, 90, 180, 270];

/**
 * The fewest key presses an expert needs to save `target` starting from
 * `start`: reach it within `tolerance` by turning/snap keys (breadth-first)
 * and Enter, or, with `typing`, type the whole degrees and Enter when that is
 * fewer (so with typing no label costs more than 4 keys).
 */
export function keysToLabel(start: number, target: number, tolerance: number, typing = true): number {
  const typed = String(Math.round(target) % 360).length + 1;
  const wrap = (a: number) => Math.round((((a % 360) + 360) % 360) * 1000) / 1000;
  let frontier = [wrap(start)];
  const seen = new Set(frontier);
  // With typing, past typed−1 presses turning cannot beat it; without, every angle is a few turns away.
  const limit = typing ? typed - 1 : 360;
  for (let depth = 0; depth < limit; depth++) {
    if (frontier.some((a) => angularDifference(a, target) <= tolerance)) return depth + 1;
    const next: number[] = [];
    for (const a of frontier) {
      for (const b of [...NUDGES.map((d) => wrap(a + d)), ...DIALS]) {
        if (!seen.has(b)) {
          seen.add(b);
          next.push(b);
        }
      }
    }
    frontier = next;
  }
  return typed;
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** One label of the run: keys from 0° and from what Annotate would have shown, and how far that suggestion was off. */
interface Labeled {
  plain: number;
  suggested: number;
  /** The same by turning keys only (no digits typed): how an expert who works the dial fares. */
  plainTurning: number;
  suggestedTurning: number;
  /** Degrees between the suggestion and the true angle; null when Annotate had no suggestion (it starts at 0°). */
  error: number | null;
}

export interface LabelKeysOptions {
  /** Share of the full demo set generated (1: about 2,000 images). */
  scale: number;
  /** Degrees within which the value on screen counts as the true angle. */
  tolerance: number;
  /** Labels after which the orientation model is trained again ("Train on my labels"). */
  retrainAt: number[];
}

/**
 * Key presses per label on the demo project, labeled in queue order the way
 * an expert works in Annotate: a small autoencoder orders the queue, each
 * image's true angle (angles.csv) is saved, and the count is the fewest keys
 * from the starting value to that angle, once from 0° and once from the
 * suggestion Annotate would show (`suggestionFor`, the product's own path:
 * the current orientation model's stored prediction). The orientation model
 * is trained on the labels so far by the product's trainOnLabels job after
 * each of `retrainAt` labels, as an expert would press "Train on my labels"
 * now and then; until the first, there is no suggestion and both start at 0°.
 */
export async function labelKeys(n: number, options: LabelKeysOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-keys-'));
  const session = new Session(workerThreadChannel);
  try {
    const started = performance.now();
    const images = await generateDemoImages(dir, { scale: options.scale });
    const truth = new Map(images.map((m) => [fs.realpathSync(path.join(dir, m.file)), m.angle]));
    const projectPath = await importDemo(dir);
    session.open(projectPath);
    const handlers = createHandlers(session);
    const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
    const api = new Proxy({}, { get: (_t, name: string) => (arg: unknown) => call(name, arg) }) as FarpointApi;
    const settings = { epochs: 4, inputSize: 32, latentDim: 16, seed: 7 };
    await runJob(session, await call<JobInfo>('startTraining', settings));
    console.log(
      `key presses per label on the demo: ${images.length} images (scale ${options.scale}), autoencoder ${JSON.stringify(settings)}, ` +
        `set up in ${((performance.now() - started) / 1000).toFixed(0)} s; ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
    );

    const done: Labeled[] = [];
    const trainings: string[] = [];
    for (let i = 0; i < n; i++) {
      const head = await queueHead(call);
      if (!head) break;
      const angle = truth.get(fs.realpathSync(head.path));
      if (angle === undefined) throw new Error(`queue entry ${head.sampleId} (${head.path}) is not a demo image`);
      // Exactly what Annotate asks before it draws the dial.
      const suggestion = await suggestionFor(api, head.sampleId);
      const start = suggestion?.angle ?? 0;
      done.push({
        plain: keysToLabel(0, angle, options.tolerance),
        suggested: keysToLabel(start, angle, options.tolerance),
        plainTurning: keysToLabel(0, angle, options.tolerance, false),
        suggestedTurning: keysToLabel(start, angle, options.tolerance, false),
        error: suggestion ? angularDifference(suggestion.angle, angle) : null,
      });
      await call('saveLabel', { sampleId: head.sampleId, angle, queueRank: head.rank, strategy: null });
      if (options.retrainAt.includes(done.length) && done.length < n) {
        const t0 = performance.now();
        const job = await runJob(session, await call<JobInfo>('trainOnLabels', {}));
        const holdout = (job.result as RegressorSummary | null)?.holdout;
        trainings.push(`${done.length} (${((performance.now() - t0) / 1000).toFixed(0)} s${holdout ? `, held-out median error ${holdout.median.toFixed(1)}°` : ''})`);
        console.log(`  trained the orientation model on ${trainings.at(-1)}`);
      }
    }
    report(done, options, trainings);
  } finally {
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function importDemo(dir: string): Promise<string> {
  const project = Project.create(path.join(dir, 'demo.farpoint'));
  try {
    await importFolder(project.db, path.join(dir, 'images'));
    return project.path;
  } finally {
    project.close();
  }
}

async function runJob(session: Session, job: JobInfo): Promise<JobInfo> {
  const end = await session.jobs.waitFor(job.id);
  if (end.state !== 'done') throw new Error(`${job.kind} ${end.state}: ${end.error}`);
  return end;
}

/** The head of the labeling queue, waiting while its order is computed off the main thread. */
async function queueHead(call: <T>(name: string, arg?: unknown) => Promise<T>): Promise<QueuePage['entries'][number] | null> {
  for (;;) {
    const page = await call<QueuePage>('getQueue', { offset: 0, limit: 1 });
    if (page.entries[0]) return page.entries[0];
    if (!page.computing) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function report(done: Labeled[], options: LabelKeysOptions, trainings: string[]): void {
  console.log(`orientation model trained (trainOnLabels) after ${trainings.join(', ') || 'no labels'}; tolerance ${options.tolerance}°`);
  console.log('median key presses per label, from 0° | from the model\'s suggestion (typing allowed; turning keys only), suggestions shown, median suggestion error');
  console.log('labels        typing: 0° | suggestion    turning only: 0° | suggestion    Enter alone    suggested   median error');
  const bounds = [0, ...options.retrainAt.filter((b) => b < done.length), done.length];
  const row = (label: string, part: Labeled[]) => {
    const errors = part.map((d) => d.error).filter((e): e is number => e !== null);
    const pair = (a: (d: Labeled) => number, b: (d: Labeled) => number) => `${String(median(part.map(a))).padStart(3)} | ${String(median(part.map(b))).padEnd(3)}`;
    const enterAlone = part.filter((d) => d.suggested === 1).length;
    console.log(
      `${label.padEnd(12)} ${pair((d) => d.plain, (d) => d.suggested).padStart(15)}    ${pair((d) => d.plainTurning, (d) => d.suggestedTurning).padStart(21)}` +
        `    ${`${enterAlone} / ${part.length}`.padStart(11)}    ${String(errors.length).padStart(9)}   ${errors.length ? `${median(errors).toFixed(1)}°` : '—'}`,
    );
  };
  for (let b = 1; b < bounds.length; b++) row(`${bounds[b - 1]! + 1}–${bounds[b]}`, done.slice(bounds[b - 1], bounds[b]));
  row('all', done);
  const avg = (f: (d: Labeled) => number) => mean(done.map(f)).toFixed(2);
  console.log(
    `mean keys per label (${done.length} labels): typing ${avg((d) => d.plain)} from 0°, ${avg((d) => d.suggested)} with suggestions; ` +
      `turning only ${avg((d) => d.plainTurning)} from 0°, ${avg((d) => d.suggestedTurning)} with suggestions`,
  );
  const withSuggestion = median(done.map((d) => d.suggested));
  const turning = median(done.map((d) => d.suggestedTurning));
  console.log(
    `goal (issue 14): median ≤ 4 key presses per label with suggestions: ${withSuggestion <= 4 ? 'met' : 'NOT met'} typing allowed (median ${withSuggestion}; ` +
      `typing caps every label at 4 keys, so this holds with or without suggestions), ${turning <= 4 ? 'met' : 'NOT met'} by turning keys only (median ${turning})`,
  );
}
