import type { ProjectChange } from '../../shared/contract';
import type { JobKind, JobProgress } from '../../shared/domain';

/** What a job sees of the world: its project file, a progress sink and a cancel flag. */
export interface JobContext {
  projectPath: string;
  progress(progress: JobProgress): void;
  isCancelled(): boolean;
}

export type JobHandler = (params: unknown, ctx: JobContext) => Promise<unknown>;

export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelledError';
  }
}

/** Which parts of the project a finished job changed, so front ends refresh just those. */
export const jobChanges: Record<JobKind, ProjectChange[]> = {
  import: ['samples'],
  train: ['models'],
  embed: ['embeddings', 'queue', 'models'],
  queue: ['queue'],
  duplicates: ['samples', 'queue'],
  evaluate: ['evaluations'],
  predict: ['models', 'labels'],
  // The map view follows its own job (LatentMap.job); nothing else depends on the projection.
  map: [],
};

/** Messages between the job manager and the compute side (worker thread or Electron utility process). */
export type ToCompute =
  | { type: 'run'; id: string; kind: JobKind; params: unknown; projectPath: string }
  | { type: 'cancel'; id: string };

export type FromCompute =
  | { type: 'progress'; id: string; progress: JobProgress }
  | { type: 'done'; id: string; result: unknown }
  | { type: 'failed'; id: string; error: string; cancelled: boolean }
  | { type: 'log'; message: string };
