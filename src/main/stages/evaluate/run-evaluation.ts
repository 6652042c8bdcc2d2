import type { EvaluationRecord, EvaluationSettings, JobProgress } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { loadTf, type Tf } from '../train/tf-backend';
import type { Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { projectDuplicateThreshold } from './duplicate-threshold';
import { evaluationGroups, loadEvaluationInput, splitGroups, type EvaluationInput } from './evaluation-input';
import { saveEvaluation } from '../../store/evaluation-store';
import { bestStrategy, labelsSaved } from './labels-saved';
import { pickComposition } from './pick-composition';
import { chooseSplit, learningCurves, type CurveHooks, type CurveInput, type KeptTogether, type TrainAndPredict } from './learning-curves';
import { loadPixels, type PixelSet } from './regressor/image-pixels';
import { predictAngles, trainRegressor } from './regressor/train-regressor';
import { regressorSteps } from './regressor/training-schedule';
import type { TestSplit } from '../../core/evaluation/test-split';

/**
 * One evaluation, end to end: the labeled samples and their latent vectors,
 * the fixed test split, the groups, every image decoded once, the learning
 * curves with the real regressor, the labels saved, and the stored record.
 * The evaluate job runs this (started by the UI's startEvaluation and by
 * `farpoint evaluate`, through the same request).
 */
export async function runEvaluation(db: Db, settings: EvaluationSettings, hooks: CurveHooks = {}): Promise<EvaluationRecord> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const input = loadEvaluationInput(db);
  if (input.points.count < 2) {
    throw new FarpointError(`only ${input.points.count} of ${input.labeled} labeled samples have a latent vector; embed the images first`, 409);
  }
  const splitStarted = performance.now();
  const { curveInput, split, kept, groupsFrom } = splitForEvaluation(db, input, settings);
  const splitAndGroupsSeconds = seconds(splitStarted);

  const decodeStarted = performance.now();
  const pixels = await decodeImages(input, settings, hooks);
  const decodeSeconds = seconds(decodeStarted);
  const { tf, backend } = await loadTf();
  const schedule = { minSteps: settings.steps, epochs: settings.epochs, batchSize: settings.batchSize };
  const timing = { trainSeconds: 0, predictSeconds: 0 };
  const trainAndPredict = regressorTrial(tf, pixels, input, settings, hooks, schedule, timing);
  const { curves, largestBudget, ordersSeconds, firstOrders } = await learningCurves(curveInput, split, settings, trainAndPredict, hooks);
  const cpu = process.cpuUsage(cpuAtStart);
  const evaluatedBudgets = settings.budgets.filter((b) => b <= split.pool.length);
  const stepsByBudget = Object.fromEntries(evaluatedBudgets.map((b) => [String(b), regressorSteps(b, schedule)]));
  const { groups } = curveInput;

  return saveEvaluation(db, settings, {
    data: {
      labeled: input.labeled,
      usable: input.points.count,
      test: split.test.length,
      pool: split.pool.length,
      split: settings.split,
      splitFrom: kept?.from ?? 'a random split',
      duplicateClusters: kept?.count ?? null,
      largestDuplicateCluster: kept?.largest ?? null,
      duplicateThreshold: kept?.threshold ?? null,
      ...(kept ? { tooLargeToHoldOut: kept.tooLarge } : {}),
      groupsFrom,
      testGroups: new Set(split.test.map((r) => groups[r])).size,
      embeddingModelId: input.embeddingModelId,
    },
    curves,
    largestBudget,
    labelsSaved: labelsSaved(curves, largestBudget),
    best: { plain: bestStrategy(curves, 'plain'), balanced: bestStrategy(curves, 'balanced') },
    composition: pickComposition(groups, split.test, firstOrders, evaluatedBudgets),
    backend,
    seconds: seconds(started),
    profile: {
      decodeSeconds,
      splitAndGroupsSeconds,
      ordersSeconds,
      trainSeconds: timing.trainSeconds,
      predictSeconds: timing.predictSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      stepsByBudget,
    },
  });
}

/** The groups the balanced error is over and the fixed test split (kept apart by a column or by near-duplicate clusters when grouped). */
function splitForEvaluation(
  db: Db,
  input: EvaluationInput,
  settings: EvaluationSettings,
): { curveInput: CurveInput; split: TestSplit; kept: KeptTogether | null; groupsFrom: string } {
  const { groups, from } = evaluationGroups(db, input, settings.groupColumn, settings.groups, settings.seed);
  const curveInput = { points: input.points, angles: input.angles, mode: input.mode, groups, typiclustBatch: readSettings(db).typiclustBatch };
  const known = settings.split === 'grouped' && settings.splitColumn !== null ? splitGroups(db, input, settings.splitColumn) : undefined;
  const { split, kept } = chooseSplit(curveInput, settings, () => projectDuplicateThreshold(db, input.embeddingModelId), known);
  if (split.pool.length === 0) {
    throw new FarpointError(
      'every labeled sample is in one near-duplicate cluster, so a grouped split leaves no training pool: use --split random or a smaller --duplicate-threshold',
      409,
    );
  }
  return { curveInput, split, kept, groupsFrom: from };
}

/** Every labeled image decoded once, for all the regressors the curves train. */
async function decodeImages(input: EvaluationInput, settings: EvaluationSettings, hooks: CurveHooks): Promise<PixelSet> {
  const report = (p: JobProgress) => hooks.progress?.(p);
  report({ done: 0, total: input.points.count, unit: 'images', message: 'decoding images for the orientation model' });
  return loadPixels(input.paths, settings.inputSize, 1, (done) =>
    report({ done, total: input.points.count, unit: 'images', message: 'decoding images for the orientation model' }),
  );
}

/** One point of a curve: a fresh regressor trained on the rows, its predictions for the test rows; its time goes to `timing`. */
function regressorTrial(
  tf: Tf,
  pixels: PixelSet,
  input: EvaluationInput,
  settings: EvaluationSettings,
  hooks: CurveHooks,
  schedule: Parameters<typeof regressorSteps>[1],
  timing: { trainSeconds: number; predictSeconds: number },
): TrainAndPredict {
  const training = { batchSize: settings.batchSize, learningRate: settings.learningRate, isCancelled: hooks.isCancelled };
  return async (trainRows, testRows, seed) => {
    const trainStarted = performance.now();
    const steps = regressorSteps(trainRows.length, schedule);
    const { model } = await trainRegressor(tf, pixels, trainRows, trainRows.map((r) => input.angles[r]!), input.mode, { ...training, steps, seed });
    timing.trainSeconds += seconds(trainStarted);
    const predictStarted = performance.now();
    try {
      return await predictAngles(tf, model, pixels, testRows, input.mode);
    } finally {
      model.dispose();
      timing.predictSeconds += seconds(predictStarted);
    }
  };
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
