import { z } from 'zod';
import type { trainOnLabelsSchema } from '../../../shared/contract/evaluation-requests';
import type { JobProgress, RegressorSummary } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { loadTf } from '../train/tf-backend';
import { writeOrExplain, type Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { activeLabeledSamples, activeUnlabeledSamples } from '../../store/evaluation-pool';
import { angularErrors, summarizeErrors } from '../../core/evaluation/circular-metrics';
import { savePredictions, saveRegressor, setCurrentRegressorId } from '../../store/prediction-store';
import type { CurveHooks } from './learning-curves';
import { loadPixels } from './regressor/image-pixels';
import { predictAngles, trainRegressor, weightsBlob } from './regressor/train-regressor';
import { seededShuffle } from '../../core/evaluation/seeded-shuffle';

export type TrainOnLabelsOptions = z.output<typeof trainOnLabelsSchema>;

/** Unlabeled images decoded and predicted per chunk, so a million-image pool never sits in memory at once. */
const PREDICT_CHUNK = 1024;
const BATCH_SIZE = 32;
const LEARNING_RATE = 2e-3;

/**
 * "Train on my labels": the orientation model trained on every current label,
 * its predicted angle stored for every active unlabeled sample (the annotation
 * tool shows it as a suggestion), and the model made current. With ten labels
 * or more, a second model trained on nine tenths of them is scored on the
 * other tenth, so the user sees how far to trust the suggestions.
 */
export async function trainOnLabels(db: Db, options: TrainOnLabelsOptions, hooks: CurveHooks = {}): Promise<RegressorSummary> {
  const started = performance.now();
  const mode = readSettings(db).angleMode;
  const labeled = activeLabeledSamples(db);
  if (labeled.length < 2) throw new FarpointError(`the orientation model needs at least 2 labels, the project has ${labeled.length}`, 409);
  const unlabeled = activeUnlabeledSamples(db);
  const report = (p: JobProgress) => hooks.progress?.(p);
  const { tf, backend } = await loadTf();
  report({ done: 0, total: labeled.length, unit: 'images', message: 'decoding labeled images' });
  const pixels = await loadPixels(labeled.map((l) => l[1]), options.inputSize, 1);
  const angles = labeled.map((l) => l[2]);
  const all = [...labeled.keys()];
  const training = { steps: options.steps, batchSize: BATCH_SIZE, learningRate: LEARNING_RATE, isCancelled: hooks.isCancelled };

  let holdout: RegressorSummary['holdout'] = null;
  if (labeled.length >= 10) {
    report({ done: 0, total: 2, unit: 'models', message: 'scoring on a held-out tenth of the labels' });
    const shuffled = seededShuffle(labeled.length, options.seed);
    const cut = Math.round(labeled.length / 10);
    const test = shuffled.slice(0, cut);
    const train = shuffled.slice(cut);
    const { model } = await trainRegressor(tf, pixels, train, train.map((r) => angles[r]!), mode, { ...training, seed: options.seed });
    const predicted = await predictAngles(tf, model, pixels, test, mode);
    model.dispose();
    const s = summarizeErrors(angularErrors(predicted, test.map((r) => angles[r]!), mode));
    holdout = { count: s.count, mean: s.mean, median: s.median, within5: s.within5, within10: s.within10 };
  }

  report({ done: 1, total: 2, unit: 'models', message: `training on all ${labeled.length} labels` });
  const { model, loss } = await trainRegressor(tf, pixels, all, angles, mode, { ...training, seed: options.seed });
  try {
    const modelId = saveRegressor(db, {
      settings: { ...options, angleMode: mode, trainedOn: labeled.length, holdout },
      backend,
      loss,
      topology: model.toJSON(null, false),
      weights: weightsBlob(model),
    });
    for (let start = 0; start < unlabeled.length; start += PREDICT_CHUNK) {
      const chunk = unlabeled.slice(start, start + PREDICT_CHUNK);
      report({ done: start, total: unlabeled.length, unit: 'images', message: 'predicting angles of unlabeled samples' });
      const set = await loadPixels(chunk.map((u) => u[1]), options.inputSize, 1);
      const predicted = await predictAngles(tf, model, set, [...chunk.keys()], mode);
      writeOrExplain(() => db.transaction(() => savePredictions(db, modelId, chunk.map((u) => u[0]), predicted)).immediate());
    }
    writeOrExplain(() => setCurrentRegressorId(db, modelId));
    report({ done: unlabeled.length, total: unlabeled.length, unit: 'images', message: 'predictions stored' });
    return { modelId, trainedOn: labeled.length, predicted: unlabeled.length, holdout, backend, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}
