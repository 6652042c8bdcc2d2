import type { JobInfo } from '../domain';

export type ProjectChange = 'samples' | 'thumbnails' | 'labels' | 'embeddings' | 'models' | 'queue' | 'settings' | 'evaluations' | 'project';

/** Everything the back end pushes to a front end. */
export type FarpointEvent =
  | { type: 'job'; job: JobInfo }
  | { type: 'projectChanged'; what: ProjectChange[] };
