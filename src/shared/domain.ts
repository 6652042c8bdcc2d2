/** Domain types both sides agree on. Plain data only: everything here crosses process boundaries as JSON. */

import type { EncoderKind } from './encoder-kinds';
import type { StrategyName } from './strategy-names';
export type { EncoderKind } from './encoder-kinds';
import type { WindowSetting } from './window-level';

export type SampleStatus = 'active' | 'excluded';
export type AngleMode = 'full' | 'axial';
export type { StrategyName } from './strategy-names';
/**
 * 'suggestion': a model's prediction the expert accepted without changing it (its model is stored with it).
 * 'adjudicated': an expert's final angle for a sample its annotators disagree on (never counted as an annotator's own label).
 */
export type AnnotationSource = 'hand' | 'propagated' | 'imported' | 'suggestion' | 'adjudicated';

export interface SampleInfo {
  id: number;
  path: string;
  contentHash: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  format: string;
  status: SampleStatus;
  /** Current angle in degrees, or null when unlabeled. */
  angle: number | null;
  angleSource: AnnotationSource | null;
}

/** How Annotate shows an image (display only: the stored image, thumbnails and model input are untouched). */
export interface ImageAdjustments {
  /** Percent, 100 = as stored. */
  brightness: number;
  /** Percent, 100 = as stored. */
  contrast: number;
  invert: boolean;
  /** One image pixel per screen pixel, drawn as hard-edged squares. */
  pixelZoom: boolean;
}

export interface ProjectSettings {
  angleMode: AngleMode;
  /** The queue's order (every strategy can order the queue; fps is the default). */
  strategy: StrategyName;
  randomSeed: number;
  /** Samples TypiClust picks at a time when it orders the queue. */
  typiclustBatch: number;
  inputSize: number;
  latentDim: number;
  channels: 1 | 3;
  /** Window/level for DICOM and 16-bit images: thumbnails, display and the autoencoder's input are rendered with it. */
  window: WindowSetting;
  /** Keep DICOM patient-identifying attributes (name, ID, birth date …) in the project and its exports. Off unless turned on per project. */
  keepPatientAttributes: boolean;
  /** Annotate's display adjustments, remembered per project so a dim data set opens as the expert left it. */
  imageAdjustments: ImageAdjustments;
}

export interface ProjectStatus {
  path: string;
  name: string;
  samples: number;
  active: number;
  excluded: number;
  labeled: number;
  embedded: number;
  models: number;
  currentModelId: number | null;
  /** The encoder kind of the current model (null without one). */
  currentEncoder: EncoderKind | null;
  backend: string | null;
  settings: ProjectSettings;
  /** Why the project file is damaged (found by the check on open), with what to do; null when it checked sound. */
  damaged: string | null;
  /** Why the current model should be trained again: the window/level changed since it was trained (DICOM projects); null otherwise. */
  modelInputChanged: string | null;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface DuplicateFile {
  path: string;
  duplicateOf: string;
}

export interface ImportSummary {
  folder: string;
  scanned: number;
  imported: number;
  alreadyPresent: number;
  duplicates: DuplicateFile[];
  skipped: SkippedFile[];
  ignored: number;
  seconds: number;
  imagesPerSecond: number;
}

export type JobKind = 'import' | 'thumbnails' | 'train' | 'embed' | 'queue' | 'duplicates' | 'evaluate' | 'predict' | 'map';
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  done: number;
  total: number;
  unit: string;
  message: string;
  /** Items per second, when meaningful. */
  rate?: number;
  etaSeconds?: number;
  /** Job-specific figures (epoch, loss, validation loss, ...). */
  extra?: Record<string, number | string | number[] | null>;
  /**
   * A piece of work just finished, in words worth a line of their own in a log
   * (the CLI prints each; an evaluation's scored model). Never dropped by the
   * compute side's progress throttle.
   */
  note?: string;
}

export interface JobInfo {
  id: string;
  kind: JobKind;
  state: JobState;
  progress: JobProgress;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  result: unknown;
}

export interface ThumbnailPage {
  /** Samples the filter matches, counted for the first page only (null on a page after a key or at a position). */
  total: number | null;
  samples: SampleInfo[];
  /** The key (a sample id) to pass as `after` for the following page; null on the last page. */
  next: number | null;
}

/** Who is labeling now, and the operating system's user name (the default). */
export interface AnnotatorInfo {
  name: string;
  osUser: string;
}

/** Current labels per annotator (who stored the value each sample has now). */
export interface AnnotatorCount {
  author: string;
  labels: number;
}

/** Review mode's filters over every sample (Samples view). */
export type ReviewFilter = 'all' | 'unlabeled' | 'labeled' | 'skipped' | 'excluded' | 'propagated' | 'suggested' | 'adjudicated';
/** Review mode's orders; label fields (labeledAt, angle, rank) put unlabeled samples last. */
export type ReviewSort = 'id' | 'name' | 'labeledAt' | 'angle' | 'rank';

/**
 * Where the next review page starts: the last row's sort key and id. `phase`
 * 'rest' means the labeled rows of a label-field sort are done and the
 * unlabeled ones follow in id order.
 */
export interface ReviewCursor {
  phase: 'keyed' | 'rest';
  key: number | string | null;
  id: number;
}

/** One sample as review mode lists it: the sample, its current label's provenance and its queue state. */
export interface ReviewSample extends SampleInfo {
  labeledAt: string | null;
  author: string | null;
  labelStrategy: StrategyName | null;
  /** Queue position stored with the current label. */
  queueRank: number | null;
  /** The current orientation model's predicted angle, when it has one. */
  suggestion: number | null;
  /** Skipped in this session. */
  skipped: boolean;
  /** The latest include or exclude of this sample (why and by whom, when), or null when it never changed. */
  statusChange: { status: SampleStatus; reason: string | null; createdAt: string } | null;
}

export interface ReviewPage {
  samples: ReviewSample[];
  /** Null on the last page. */
  next: ReviewCursor | null;
  /** Samples matching every criterion of the request; counted for the first page only (null on later ones). */
  total: number | null;
  /** Counts for the filter bar, on the first page only (null on later ones: counting costs more than a page). */
  facets: ReviewFacets | null;
}

export interface ReviewFacets {
  /** Samples per filter, without the other criteria. */
  counts: Record<ReviewFilter, number>;
  /** Current labels per annotator and per strategy, most first. */
  authors: { name: string; count: number }[];
  strategies: { name: StrategyName; count: number }[];
}

/** What a bulk review action did. */
export interface ReviewActionResult {
  action: 'include' | 'exclude' | 'clearSkip';
  /** Samples whose state changed. */
  changed: number[];
  /** Samples already in the asked-for state. */
  unchanged: number[];
}

/** A labeled sample near another in the current model's latent space (similarLabeled). */
export interface SimilarLabeled {
  sampleId: number;
  /** Its current label, degrees. */
  angle: number;
  /** Euclidean distance between the two latent vectors. */
  distance: number;
  source: AnnotationSource;
}

export interface AnnotationRecord {
  id: number;
  sampleId: number;
  /** Degrees, or null where this entry removed the label. */
  angle: number | null;
  source: AnnotationSource;
  /** 'set' stores a value, 'undo' restores the value before an earlier entry, 'clear' removes it. */
  action: 'set' | 'undo' | 'clear';
  author: string;
  createdAt: string;
  queueRank: number | null;
  strategy: StrategyName | null;
  modelId: number | null;
  /** For propagated labels: the sample whose label was copied. */
  propagatedFrom: number | null;
  /** For undo entries: the entry that was undone. */
  undoes: number | null;
}

// ---- evaluation area (issue 9): label import, regressor, learning curves, export ----

/** A CSV row that was not imported, by its line number in the file. */
export interface LabelRowProblem {
  line: number;
  path: string | null;
  reason: string;
}

export interface LabelImportSummary {
  file: string;
  /** Data rows read (header excluded). */
  rows: number;
  imported: number;
  /** Rows whose sample already had exactly this angle (nothing appended). */
  unchanged: number;
  /** Rows with an empty angle (unlabeled samples in an export): skipped, not an error. */
  withoutAngle: number;
  /** Rows matched by file content because no sample had their path. */
  matchedByHash: number;
  /** Extra columns stored per sample (usable as --group-column). */
  attributes: string[];
  unmatched: LabelRowProblem[];
  malformed: LabelRowProblem[];
}

/** How the neighbour graph of the duplicates area was built, and how good it is. */
export interface NeighbourGraphInfo {
  modelId: number;
  /** Neighbours kept per sample. */
  k: number;
  /** Samples in the graph (every embedded sample of the model, excluded ones included). */
  count: number;
  method: 'exact' | 'hnsw';
  /** Share of the true k nearest neighbours found, measured against exact search on `recallQueries` samples; 1 for exact. */
  recall: number;
  recallQueries: number;
  seconds: number;
  builtAt: string;
}

/** Nearest-neighbour distances binned for the threshold histogram; the last bin also holds everything beyond the last edge. */
export interface DistanceHistogram {
  /** Lower edge of each bin, then the upper edge of the last: counts.length + 1 values. */
  edges: number[];
  counts: number[];
  /** How many samples have an exact copy (distance 0) in latent space. */
  zeros: number;
}

export interface DuplicateMember {
  id: number;
  path: string;
  status: SampleStatus;
  angle: number | null;
  angleSource: AnnotationSource | null;
  /** The current orientation model's predicted angle (degrees), or null. */
  suggestion: number | null;
  /** Latent distance to the cluster's representative; null for a sample without a vector (joined by content hash only). */
  distance: number | null;
  contentHash: string;
}

export interface DuplicateCluster {
  /** Smallest sample id in the cluster: stable while the threshold stays put. */
  key: number;
  size: number;
  /** The most central member: the one closest to the members' mean vector. */
  representativeId: number;
  /** Largest latent distance from the representative to a member (0 for content-hash copies). */
  spread: number;
  /** Some members are byte-identical files (same content hash). */
  sameContent: boolean;
  /** Members nearest the representative first. */
  members: DuplicateMember[];
}

export interface DuplicateReport {
  /** 'missing': no graph for the current model yet; 'stale': embeddings changed since it was built; 'no-model': nothing embedded. */
  graphState: 'ready' | 'missing' | 'stale' | 'no-model';
  graph: NeighbourGraphInfo | null;
  threshold: number;
  thresholdSource: 'argument' | 'saved' | 'proposed';
  proposedThreshold: number;
  /** The rule behind proposedThreshold, in words. */
  proposedRule: string;
  histogram: DistanceHistogram | null;
  totalClusters: number;
  samplesInClusters: number;
  /** Samples that would be excluded keeping one per cluster. */
  redundantSamples: number;
  offset: number;
  clusters: DuplicateCluster[];
}

/** What applying one member's label to a cluster did. */
export interface PropagationResult {
  from: number;
  /** The copied angle, degrees. */
  angle: number;
  /** Largest difference of a member's label or suggestion from the copied angle, degrees, and how many members it covers. */
  spread: number;
  knownAngles: number;
  propagated: number[];
  /** The history entry written for each propagated member, in the order of `propagated` (what an undo reverts). */
  entryIds: number[];
  /** Members left alone (a hand label is never overwritten), with the reason. */
  skipped: { id: number; reason: string }[];
}

/** What keeping one member of a cluster did. */
export interface KeepOneResult {
  kept: number;
  /** The kept member was excluded before and is active now (an undo excludes it again). */
  keptWasExcluded: boolean;
  /** Members that were active and are excluded now; members already excluded are not listed (an undo leaves them excluded). */
  excluded: number[];
}

export type SplitKind = 'grouped' | 'random';

/** Everything that defines one evaluation run; stored with its results. */
export interface EvaluationSettings {
  strategies: StrategyName[];
  budgets: number[];
  repeats: number;
  testFraction: number;
  split: SplitKind;
  seed: number;
  /** Attribute (imported CSV column) whose values group the balanced error; null: k-means clusters of the latent space. */
  groupColumn: string | null;
  /** k-means clusters for the balanced error when no group column is given. */
  groups: number;
  /** Attribute (imported CSV column) whose equal values stay on one side of the grouped split (the object and pose an image shows); null: near-duplicate clusters of the latent space. */
  splitColumn: string | null;
  /** Latent distance under which two samples are near-duplicates (grouped split); null: the duplicate review's threshold (saved or proposed; the same proposal rule on the labeled samples when no neighbour graph exists). */
  duplicateThreshold: number | null;
  /** fps-dense: share of the least typical samples put last. */
  denseQuantile: number;
  /** Regressor input (pixels per side) and training schedule: max(steps, epochs passes over the b training images). */
  inputSize: number;
  steps: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export interface MeanSd {
  mean: number;
  sd: number;
}

/** One strategy at one budget, over the repeats. */
export interface CurvePoint {
  budget: number;
  /** True when the budget exceeds the training pool: reported, never clipped. */
  skipped: boolean;
  /** Plain mean angular error on the test split, degrees (null when skipped). */
  plain: MeanSd | null;
  /** Mean over groups of each group's mean error, degrees (null when skipped). */
  balanced: MeanSd | null;
  /** Means over repeats of the median error and the shares within 5° and 10°. */
  median: number | null;
  within5: number | null;
  within10: number | null;
  /** Each repeat's figures, for the record. */
  runs: { repeat: number; plain: number; balanced: number; median: number; within5: number; within10: number }[];
}

export interface StrategyCurve {
  strategy: StrategyName;
  points: CurvePoint[];
}

export type ErrorMetric = 'plain' | 'balanced';

/** The smallest budget at which a strategy's mean error is at or below random's at the largest budget. */
export interface LabelsSaved {
  strategy: StrategyName;
  metric: ErrorMetric;
  /** Random's mean error at the largest evaluated budget: the target. */
  target: number;
  /** Labels needed to reach the target (the learning curve interpolated linearly between budgets), or null when none does. */
  reachedAt: number | null;
  /** Largest evaluated budget − reachedAt: labels this strategy saves against random (null when not reached). */
  saved: number | null;
}

export interface EvaluationData {
  /** Active labeled samples. */
  labeled: number;
  /** Of them, with a latent vector of the current model (the others cannot take part). */
  usable: number;
  test: number;
  pool: number;
  split: SplitKind;
  /** What the grouped split kept together ("near-duplicate clusters at 4.2", "column 'item'"); absent in records made before it existed. */
  splitFrom?: string;
  /** Grouped split: near-duplicate clusters (or groups of the split column) among the usable samples, the largest one, and the threshold used (null with a column). */
  duplicateClusters: number | null;
  largestDuplicateCluster: number | null;
  duplicateThreshold: number | null;
  /** Grouped split: groups too large to hold out (a mode of the data, not one item's copies), left in the training pool, and their samples; absent in records made before the rule. */
  tooLargeToHoldOut?: { groups: number; rows: number };
  /** Where the balanced error's groups came from, and how many groups the test split holds. */
  groupsFrom: string;
  testGroups: number;
  embeddingModelId: number;
}

export interface EvaluationResults {
  data: EvaluationData;
  curves: StrategyCurve[];
  /** The largest budget evaluated for every strategy (not skipped); null when every budget was skipped. */
  largestBudget: number | null;
  labelsSaved: LabelsSaved[];
  /** Lowest error averaged over the evaluated budgets (area under the learning curve), per metric. */
  best: Record<ErrorMetric, StrategyName | null>;
  backend: string;
  seconds: number;
  /** Where the run's time went (absent in runs stored before it was recorded). */
  profile?: EvaluationProfile;
  /** What each strategy picked first, by group, against the test split (absent in runs stored before it was recorded). */
  composition?: PickComposition;
}

/** How the first picks of each strategy (first repeat) are spread over the balanced error's groups, next to the test split. */
export interface PickComposition {
  /** Group names, the test split's largest first, in the order of every shares array. */
  groups: string[];
  /** Share of the test split in each group. */
  test: number[];
  /** Share of a strategy's first `budget` picks in each group. */
  picks: { strategy: StrategyName; budget: number; shares: number[] }[];
}

/** Wall seconds per phase of one evaluation, and the process's CPU seconds over the whole run. */
export interface EvaluationProfile {
  decodeSeconds: number;
  splitAndGroupsSeconds: number;
  ordersSeconds: number;
  trainSeconds: number;
  predictSeconds: number;
  cpuSeconds: number;
  /** Optimisation steps of one regressor at each evaluated budget. */
  stepsByBudget: Record<string, number>;
}

export interface EvaluationRecord {
  id: number;
  createdAt: string;
  settings: EvaluationSettings;
  results: EvaluationResults;
}

/** What the evaluate job ends with: the stored run's id (getEvaluation reads it whole) and its verdicts. */
export interface EvaluateJobResult {
  evaluationId: number;
  best: EvaluationResults['best'];
  labelsSaved: EvaluationResults['labelsSaved'];
}

export interface EvaluationSummary {
  id: number;
  createdAt: string;
  strategies: StrategyName[];
  budgets: number[];
  repeats: number;
  split: SplitKind;
  test: number;
  best: Record<ErrorMetric, StrategyName | null>;
}

/** The regressor's angle for one sample, shown as a suggestion in the annotation tool. */
export interface PredictionInfo {
  sampleId: number;
  angle: number;
  modelId: number;
  createdAt: string;
}

/** What "train on my labels" produced. */
export interface RegressorSummary {
  modelId: number;
  trainedOn: number;
  predicted: number;
  /** Error on a held-out tenth of the labels (for the user's trust), degrees; null with fewer than 10 labels. */
  holdout: { count: number; mean: number; median: number; within5: number; within10: number } | null;
  backend: string;
  seconds: number;
}

// ---- ML: autoencoder, embeddings, latent map (issue 3) ----

export type TfBackendName = 'node' | 'wasm' | 'cpu';

/** The TensorFlow.js backend the compute side uses, and why (shown in the UI, printed by the CLI). */
export interface BackendInfo {
  backend: TfBackendName;
  reason: string;
  /** False on the pure-JS cpu backend: training works but is about 100× slower. */
  fast: boolean;
}

/** One finished epoch of autoencoder training. Losses are mean squared error of pixels in 0..1. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface AutoencoderInfo {
  id: number;
  state: 'training' | 'ready' | 'failed' | 'cancelled';
  /** Which self-supervised encoder made this model (and so every embedding it made). */
  encoder: EncoderKind;
  inputSize: number;
  channels: 1 | 3;
  latentDim: number;
  seed: number;
  batchSize: number;
  /** The run's training-sample cap; null for models trained before the cap existed (on every active sample). */
  maxTrainingImages: number | null;
  /** Whether each image's tone was stretched to the full range before the network, in training and so in embedding. */
  normaliseTone: boolean;
  /** How many images it trained on (validation included) out of how many active samples; null until it is ready. */
  sample: { images: number; pool: number } | null;
  backend: string;
  createdAt: string;
  finishedAt: string | null;
  /** Epochs completed. */
  epochs: number;
  /** Losses of the kept (best validation) epoch. */
  trainLoss: number | null;
  valLoss: number | null;
  history: EpochRecord[];
  /** Samples with a vector from this model. */
  embedded: number;
  /** The model whose embeddings selection uses. */
  current: boolean;
}

export interface TrainResult {
  modelId: number;
  encoder: EncoderKind;
  backend: TfBackendName;
  /** Threads that trained (2: data-parallel halves of every batch on the wasm backend); also stored with the model. */
  threads: 1 | 2;
  /** 1-based epoch to which the run resumed from a checkpoint, or null for a fresh run. */
  resumedFromEpoch: number | null;
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  trainLoss: number;
  valLoss: number;
  trainImages: number;
  valImages: number;
  /** Active samples when training began: trainImages + valImages of them were trained on (a seeded sample above the cap). */
  poolImages: number;
  imagesPerSecond: number;
  seconds: number;
  history: EpochRecord[];
  /** Samples left out because their file could not be read. */
  unreadable: { sampleId: number; path: string; reason: string }[];
  /** Present when the job also embedded every sample (the default for startTraining). */
  embedding: EmbedResult | null;
}

export interface EmbedResult {
  modelId: number;
  backend: TfBackendName;
  count: number;
  dimension: number;
  imagesPerSecond: number;
  seconds: number;
  unreadable: { sampleId: number; path: string; reason: string }[];
}

/** Status codes of LatentMap.status. */
export const MAP_ACTIVE = 0;
export const MAP_EXCLUDED = 1;

/**
 * 2-D PCA of the current model's embeddings, as typed arrays (row i is
 * sample ids[i]): 100,000 points travel as bytes, not as JSON numbers
 * (JSON clients get plain arrays, NaN as null).
 * The projection is computed by a 'map' job in the compute worker and stored
 * per model in the project file; while it is being computed, `state` is
 * 'computing', `job` names the job, and the rows are the model's previous
 * projection if it has one (fewer samples), else empty.
 */
export interface LatentMap {
  modelId: number | null;
  state: 'ready' | 'computing';
  /** The map job computing the projection, while `state` is 'computing'. */
  job: string | null;
  count: number;
  dimension: number;
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  /** Fraction of the total variance along PC1 and PC2. */
  explainedVariance: [number, number];
  /** Labeled angle per row (degrees), NaN where unlabeled. */
  angles: Float32Array;
  /** Status per row, MAP_ACTIVE or MAP_EXCLUDED: the map holds excluded samples too, so it can colour them. */
  status: Uint8Array;
}

/** The data rectangle of a latent map's points. */
export interface MapBounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * One part of the latent map (getLatentMapPage): rows part, part + parts, …
 * of the LatentMap's rows, with what a view needs to place them before the
 * other parts arrive. Parts of one map share `version`; a part with another
 * version belongs to a newer map (the view starts over).
 */
export interface LatentMapPage {
  modelId: number | null;
  state: 'ready' | 'computing';
  job: string | null;
  /** Identifies the projection the rows come from. */
  version: string;
  part: number;
  parts: number;
  /** Rows of the whole map. */
  total: number;
  /** Extent of the whole map's points. */
  bounds: MapBounds;
  explainedVariance: [number, number];
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  /** MAP_ACTIVE or MAP_EXCLUDED per row. */
  status: Uint8Array;
}

/**
 * Training progress: JobProgress.extra of a 'train' job carries these keys.
 * Sticky between epochs (the newest strip and the loss history ride on every
 * event), so a front end that misses one event still gets the latest.
 */
export interface TrainProgressExtra {
  phase: 'decoding' | 'training' | 'embedding';
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number | null;
  valLoss: number | null;
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  backend: TfBackendName;
  /** The encoder being trained: it decides what the loss and the strip show. */
  encoder: EncoderKind;
  /** Per finished epoch, for the loss curve. */
  trainLosses: number[];
  valLosses: number[];
  /**
   * PNG data: URL, 2 rows × stripCount columns of validation images: for the autoencoder originals above, reconstructions
   * below; for the contrastive encoder the two augmented views of each image the loss pulls together.
   */
  strip: string | null;
  stripEpoch: number | null;
  stripCount: number;
  /** Images this run trains on (validation included) out of the active samples; null while decoding. */
  sample: { images: number; pool: number } | null;
}

/** Every strategy can order the queue: fps (novelty), random, the density-aware typiclust and fps-dense, the coverage-based probcover and the hybrid auto. */
export type QueueStrategy = StrategyName;

/** What moveToFront did. */
export interface MoveToFrontResult {
  /** Samples placed at the head of the queue by this request. */
  moved: number;
  /** Given samples left where they were: labeled, excluded, skipped or without an embedding. */
  ignored: number;
  /** Samples at the front of the queue now, this request's and earlier ones'. */
  front: number;
}

/** One row of the labeling queue, as a queue list shows it. */
export interface QueueEntry {
  /** 1-based position in the queue (1 = label next); record it as the annotation's queueRank. */
  rank: number;
  sampleId: number;
  path: string;
  /**
   * Latent distance to the nearest labeled, skipped or earlier-queued sample when this entry was placed;
   * null when nothing came before it (first pick of an unlabeled project) or when there are no embeddings (random).
   */
  novelty: number | null;
  /** Current angle when the sample got labeled since the page was computed; null otherwise. */
  angle: number | null;
  /** Skipped in this session: shown at the end of the queue. */
  skipped: boolean;
}

export interface QueuePage {
  strategy: QueueStrategy;
  /** Model whose embeddings ordered the queue (null: no embeddings; random order only). */
  modelId: number | null;
  /** Entries in the whole queue (unlabeled active samples with a vector, or all unlabeled active ones without a model). */
  total: number;
  offset: number;
  entries: QueueEntry[];
  /** Active samples without a vector of the current model: not in the queue until embedded. */
  unembedded: number;
  /** Samples skipped in this session. */
  skipped: number;
  /** Entries at the head of the queue put there by "move to front" (ranks 1..front), before the strategy's own order. */
  front: number;
  /**
   * Set when the page reaches past the part of the queue computed so far and the rest is being computed off the
   * main thread (a queue job in the compute worker): `entries` holds what is ready (possibly nothing); ask again
   * when the job ends (a projectChanged 'queue' event follows it).
   */
  computing?: QueueComputing | null;
}

/** Progress of the queue job computing the furthest-point order. */
export interface QueueComputing {
  jobId: string;
  /** Entries of the order computed so far, out of `total`. */
  done: number;
  total: number;
}

/** Covering radius after each label: how far the worst-covered unlabeled sample is from every label. */
export interface CoveragePoint {
  labels: number;
  sampleId: number;
  radius: number;
}

export interface CoverageCurve {
  modelId: number | null;
  /** Active samples with a vector of the current model. */
  pool: number;
  /** One point per label, in the order the labels were first given. */
  points: CoveragePoint[];
  /** Radius with every current label (null with no label or no embeddings). */
  current: number | null;
  /** Radius the FPS queue would reach after each of its next picks (up to 200), for comparison with the labels spent. */
  projected: number[];
}
