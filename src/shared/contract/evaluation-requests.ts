import { z } from 'zod';
import { request } from './define';
import { strategyNames } from '../strategy-names';
import { empty, seed, sampleId, strategyName } from './schemas';
import type { EvaluationRecord, EvaluationSummary, JobInfo, PredictionInfo } from '../domain';


export const DEFAULT_EVALUATION_BUDGETS = [25, 50, 100, 200, 400];

/**
 * The orientation regressor's schedule in an evaluation: max(steps, epochs
 * passes over the b training images). Measured on the demo project with
 * `npm run bench -- regressor` (32 px, a random training set, 400 held-out
 * images; guessing scores 90°): 25 labels reach 21.7° after 100 steps and
 * 20.8° after 300, so a small budget needs no more than the floor; 400 labels
 * reach 22.8° after 100 steps, 18.9° after 300 (23 passes) and about 15° after
 * 600 (46), so the large budgets need passes, not a fixed count. 30 passes
 * keep a full default run (4 strategies × 5 budgets × 3 repeats, about 11,000
 * steps at some 27 ms of CPU each) to a few minutes of CPU.
 */
export const DEFAULT_REGRESSOR_MIN_STEPS = 100;
export const DEFAULT_REGRESSOR_EPOCHS = 30;

/**
 * One evaluation run's settings, validated wherever they cross a boundary (the
 * UI's request, the job's parameters, the CLI's options). Budgets come back
 * sorted and without repeats.
 */
export const evaluationSettingsSchema = z
  .object({
    strategies: z
      .array(strategyName)
      .min(1, 'name at least one strategy')
      .max(6)
      .refine((s) => new Set(s).size === s.length, 'a strategy is named twice')
      .default([...strategyNames]),
    budgets: z
      .array(z.number().int('budgets are whole numbers of labels').min(1, 'a budget is at least 1 label').max(1_000_000))
      .min(1, 'name at least one budget')
      .max(30)
      .default(DEFAULT_EVALUATION_BUDGETS)
      .transform((b) => [...new Set(b)].sort((x, y) => x - y)),
    repeats: z.number().int().min(1).max(50).default(3),
    testFraction: z.number().gt(0, 'the test fraction must be above 0').lt(1, 'the test fraction must be below 1').default(0.2),
    split: z.enum(['grouped', 'random']).default('grouped'),
    seed: seed.default(1),
    groupColumn: z.string().trim().min(1).max(200).nullable().default(null),
    groups: z.number().int().min(2).max(200).default(10),
    splitColumn: z.string().trim().min(1).max(200).nullable().default(null),
    duplicateThreshold: z.number().positive().finite().nullable().default(null),
    denseQuantile: z.number().min(0).max(0.95).default(0.2),
    inputSize: z.number().int().min(8).max(128).refine((v) => v % 8 === 0, 'the input size must be a multiple of 8').default(32),
    steps: z.number().int().min(1).max(100_000).default(DEFAULT_REGRESSOR_MIN_STEPS),
    epochs: z.number().min(0).max(10_000).default(DEFAULT_REGRESSOR_EPOCHS),
    batchSize: z.number().int().min(1).max(512).default(32),
    learningRate: z.number().min(1e-6).max(1).default(2e-3),
  })
  .strict();

export const trainOnLabelsSchema = z
  .object({
    inputSize: z.number().int().min(8).max(128).refine((v) => v % 8 === 0, 'the input size must be a multiple of 8').default(32),
    steps: z.number().int().min(1).max(100_000).default(600),
    seed: seed.default(1),
  })
  .strict();

/** Learning curves of the selection strategies, and the orientation model's suggestions. */
export const evaluationRequests = {
  startEvaluation: request(
    evaluationSettingsSchema,
    'Start an evaluation job: learning curves of the orientation model for each strategy on the labeled samples.',
  ).returns<JobInfo>(),
  listEvaluations: request(empty, 'Past evaluation runs of this project, newest first.').returns<EvaluationSummary[]>(),
  getEvaluation: request(z.object({ id: z.number().int().positive() }).strict(), 'One evaluation run with its settings and results.').returns<EvaluationRecord>(),
  evaluationGroupColumns: request(empty, 'Columns of imported label CSVs that can group the balanced error.').returns<string[]>(),
  trainOnLabels: request(
    trainOnLabelsSchema,
    'Train the orientation model on every label so far and store its predicted angle for each unlabeled sample (a job).',
  ).returns<JobInfo>(),
  getPrediction: request(
    z.object({ sampleId }).strict(),
    "The current orientation model's predicted angle for a sample (a suggestion for the annotation tool), or null.",
  ).returns<PredictionInfo | null>(),
};
