import type { AngleMode, CurvePoint, EvaluationSettings, JobProgress, StrategyCurve, StrategyName } from '../../../shared/domain';
import { JobCancelled } from '../../core/job-types';
import { angularErrors, balancedMeanError, mean, standardDeviation, summarizeErrors } from '../../core/evaluation/circular-metrics';
import { nearDuplicateClusters, nearestNeighbourDistances } from '../../core/evaluation/near-duplicates';
import { proposeThreshold } from '../../core/duplicates/threshold';
import { subsetPoints, type Points } from '../../core/evaluation/points';
import { strategyOrder, type StrategyRegistry } from '../../core/strategies/registry';
import { groupedSplit, randomSplit, type TestSplit } from '../../core/evaluation/test-split';

/** Trains a fresh regressor on the given rows and returns its predicted angles for the test rows. */
export type TrainAndPredict = (trainRows: number[], testRows: number[], seed: number) => Promise<Float64Array>;

export interface CurveInput {
  points: Points;
  angles: Float64Array;
  mode: AngleMode;
  /** Group of each row for the balanced error. */
  groups: (string | number)[];
  /** The project's TypiClust batch, so evaluate picks as the queue does (default DEFAULT_TYPICLUST_BATCH). */
  typiclustBatch?: number;
}

/** One trained model's score, reported as soon as it is known. */
export interface ModelResult {
  strategy: StrategyName;
  repeat: number;
  budget: number;
  plain: number;
  balanced: number;
}

export interface CurveHooks {
  progress?: (progress: JobProgress) => void;
  /** Every model's errors as they come, so a long run that is stopped early still told what it measured. */
  result?: (result: ModelResult) => void;
  isCancelled?: () => boolean;
}

/** What a grouped split kept together: how many groups, the largest, and the rule. */
export interface KeptTogether {
  count: number;
  largest: number;
  /** The near-duplicate threshold; null when the groups came from a column. */
  threshold: number | null;
  from: string;
  /** Groups the split left in the pool as too large to hold out, and their rows. */
  tooLarge: { groups: number; rows: number };
}

/**
 * The held-out test split, and what it says about the data. A grouped split
 * keeps `known` groups together when the caller has them (an imported column
 * naming the object and pose each image shows: the truth about which images
 * are near-copies); otherwise near-duplicate clusters of the latent space,
 * whose threshold, unless the settings give one, is `defaultThreshold` — the
 * caller passes the one the project's duplicate review uses — or else the same
 * rule (proposeThreshold) applied to these points' nearest-neighbour
 * distances: one rule for both. A barely trained encoder may not place an
 * item's variants within that threshold, so a column, where there is one, is
 * the fairer split.
 */
export function chooseSplit(
  input: CurveInput,
  settings: EvaluationSettings,
  defaultThreshold?: () => number | null,
  known?: { group: Int32Array; from: string },
): { split: TestSplit; kept: KeptTogether | null } {
  if (settings.split === 'random') return { split: randomSplit(input.points.count, settings.testFraction, settings.seed), kept: null };
  if (known) {
    const sizes = new Map<number, number>();
    for (const g of known.group) sizes.set(g, (sizes.get(g) ?? 0) + 1);
    const split = groupedSplit(known.group, settings.testFraction, settings.seed);
    const kept = { count: sizes.size, largest: Math.max(0, ...sizes.values()), threshold: null, from: known.from, tooLarge: split.tooLarge };
    return { split, kept };
  }
  const threshold = settings.duplicateThreshold ?? defaultThreshold?.() ?? proposeThreshold(nearestNeighbourDistances(input.points));
  const clusters = nearDuplicateClusters(input.points, threshold);
  const split = groupedSplit(clusters.cluster, settings.testFraction, settings.seed);
  const kept = { count: clusters.count, largest: clusters.largest, threshold, from: `near-duplicate clusters at ${threshold.toPrecision(3)}`, tooLarge: split.tooLarge };
  return { split, kept };
}

/** Seeds per repeat: one network initialisation per repeat, shared by every strategy (a paired comparison). */
export function repeatSeeds(seed: number, repeat: number): { order: number; network: number } {
  return { order: (seed * 7_919 + repeat * 104_729) % 2 ** 31, network: (seed * 31 + repeat) % 2 ** 31 };
}

/**
 * Learning curves: for every strategy and repeat, the strategy's order over
 * the training pool (nothing labeled at the start), then a regressor trained
 * on its first b rows for every budget b, scored on the fixed test split.
 * Budgets above the pool size are reported as skipped.
 */
export async function learningCurves(
  input: CurveInput,
  split: TestSplit,
  settings: EvaluationSettings,
  trainAndPredict: TrainAndPredict,
  hooks: CurveHooks = {},
  /** Where each strategy's order comes from: the app's registry, or a test's with a toy strategy in it. */
  registry?: StrategyRegistry,
): Promise<{ curves: StrategyCurve[]; largestBudget: number | null; ordersSeconds: number; firstOrders: Map<StrategyName, number[]> }> {
  const pool = split.pool;
  const test = split.test;
  if (pool.length === 0) throw new Error('the training pool is empty: every labeled sample went to the test split');
  const poolPoints = subsetPoints(input.points, pool);
  const budgets = settings.budgets;
  const evaluated = budgets.filter((b) => b <= pool.length);
  const largestBudget = evaluated.length ? evaluated[evaluated.length - 1]! : null;
  const testAngles = test.map((r) => input.angles[r]!);
  const testGroups = test.map((r) => input.groups[r]!);
  const total = settings.strategies.length * settings.repeats * evaluated.length;
  let done = 0;
  const started = performance.now();
  let ordersSeconds = 0;
  /** Each strategy's order in its first repeat, as rows of the input: what it picks first. */
  const firstOrders = new Map<StrategyName, number[]>();

  const runs = new Map<string, CurvePoint['runs']>();
  for (const strategy of settings.strategies) {
    for (let repeat = 0; repeat < settings.repeats; repeat++) {
      const seeds = repeatSeeds(settings.seed, repeat);
      const orderStarted = performance.now();
      const order = strategyOrder(strategy, poolPoints, {
        limit: largestBudget ?? 0,
        budgets: evaluated,
        seed: seeds.order,
        denseQuantile: settings.denseQuantile,
        typiclustBatch: input.typiclustBatch,
      }, registry);
      ordersSeconds += (performance.now() - orderStarted) / 1000;
      if (repeat === 0) firstOrders.set(strategy, order.map((r) => pool[r]!));
      for (const budget of evaluated) {
        if (hooks.isCancelled?.()) throw new JobCancelled();
        hooks.progress?.(progressOf(done, total, started, `${strategy}, repeat ${repeat + 1}/${settings.repeats}: training on ${budget} labels`));
        const trainRows = order.slice(0, budget).map((r) => pool[r]!);
        const run = scoreRun(repeat, await trainAndPredict(trainRows, test, seeds.network), testAngles, testGroups, input.mode);
        hooks.result?.({ strategy, repeat, budget, plain: run.plain, balanced: run.balanced });
        const key = `${strategy}@${budget}`;
        const list = runs.get(key) ?? [];
        list.push(run);
        runs.set(key, list);
        done++;
      }
    }
  }
  hooks.progress?.(progressOf(done, total, started, 'learning curves done'));

  const curves: StrategyCurve[] = settings.strategies.map((strategy) => ({
    strategy,
    points: budgets.map((budget) => curvePoint(budget, runs.get(`${strategy}@${budget}`))),
  }));
  return { curves, largestBudget, ordersSeconds, firstOrders };
}

/** One model's errors on the test split. */
function scoreRun(repeat: number, predicted: Float64Array, testAngles: number[], testGroups: (string | number)[], mode: AngleMode): CurvePoint['runs'][number] {
  const errors = angularErrors(predicted, testAngles, mode);
  const summary = summarizeErrors(errors);
  const balanced = balancedMeanError(errors, testGroups);
  return { repeat, plain: summary.mean, balanced, median: summary.median, within5: summary.within5, within10: summary.within10 };
}

/** A budget's point of a curve: the mean (and spread) over its repeats, or skipped when no model was trained at it. */
function curvePoint(budget: number, list: CurvePoint['runs'] | undefined): CurvePoint {
  if (!list) return { budget, skipped: true, plain: null, balanced: null, median: null, within5: null, within10: null, runs: [] };
  const col = (k: 'plain' | 'balanced' | 'median' | 'within5' | 'within10') => list.map((r) => r[k]);
  return {
    budget,
    skipped: false,
    plain: { mean: mean(col('plain')), sd: standardDeviation(col('plain')) },
    balanced: { mean: mean(col('balanced')), sd: standardDeviation(col('balanced')) },
    median: mean(col('median')),
    within5: mean(col('within5')),
    within10: mean(col('within10')),
    runs: list,
  };
}

function progressOf(done: number, total: number, started: number, message: string): JobProgress {
  const seconds = (performance.now() - started) / 1000;
  const rate = done > 0 ? done / seconds : undefined;
  return { done, total, unit: 'models', message, rate, etaSeconds: rate ? (total - done) / rate : undefined };
}

