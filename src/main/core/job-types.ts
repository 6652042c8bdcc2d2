import type { ArgOf, ProjectChange } from '../../shared/contract';
import type { JobKind, JobProgress, StrategyName } from '../../shared/domain';

/** What a job sees of the world: its project file, a progress sink and a cancel flag. */
export interface JobContext {
  projectPath: string;
  progress(progress: JobProgress): void;
  isCancelled(): boolean;
}

/**
 * What each job kind is started with: its request's argument where a request
 * starts it. A new kind adds its line here, next to its line in the registry
 * (app/jobs/job-registry.ts) and in jobChanges below.
 */
export interface JobParams {
  import: ArgOf<'importFolder'>;
  /** DICOM thumbnails rendered again with the project's window (the job reads it). */
  thumbnails: Record<string, never>;
  train: ArgOf<'startTraining'>;
  embed: ArgOf<'startEmbedding'>;
  /**
   * The strategy whose order the job stores (store/queue-order-store.ts: fps, probcover, auto, typiclust,
   * fps-dense; the job parses which), and how many entries of it (default: the whole order); `need`: the
   * depth a page asked for, stored first on the way to `upTo`.
   */
  queue: { strategy: StrategyName; upTo?: number; need?: number };
  duplicates: ArgOf<'buildNeighbourGraph'>;
  evaluate: ArgOf<'startEvaluation'>;
  predict: ArgOf<'trainOnLabels'>;
  map: { modelId: number };
}

/**
 * A job's code on the compute side. Its params crossed a thread as a message,
 * so a handler still parses them with its schema; the type says what the job
 * manager let in. A handler for any kind (the default) fits every kind's slot.
 */
export type JobHandler<K extends JobKind = JobKind> = (params: JobParams[K], ctx: JobContext) => Promise<unknown>;

/**
 * The one cancellation error: work stopped because its job (or the CLI's
 * interrupt) asked it to. Stages throw it from their cancel checks, the
 * compute side reports it as a cancelled job, the CLI as an interruption.
 */
export class JobCancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'JobCancelled';
  }
}

/** Which parts of the project a finished job changed, so front ends refresh just those. */
export const jobChanges: Record<JobKind, ProjectChange[]> = {
  import: ['samples'],
  thumbnails: ['thumbnails'],
  train: ['models'],
  embed: ['embeddings', 'queue', 'models'],
  queue: ['queue'],
  duplicates: ['samples', 'queue'],
  evaluate: ['evaluations'],
  predict: ['models', 'labels'],
  // The map view follows its own job (LatentMap.job); nothing else depends on the projection.
  map: [],
};
