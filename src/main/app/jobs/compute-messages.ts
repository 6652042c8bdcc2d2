import type { JobKind, JobProgress } from '../../../shared/domain';

/** Messages between the job manager and the compute side (worker thread or Electron utility process). */
export type ToCompute =
  | { type: 'run'; id: string; kind: JobKind; params: unknown; projectPath: string }
  | { type: 'cancel'; id: string };

export type FromCompute =
  | { type: 'progress'; id: string; progress: JobProgress }
  | { type: 'done'; id: string; result: unknown }
  | { type: 'failed'; id: string; error: string; cancelled: boolean }
  | { type: 'log'; message: string };
