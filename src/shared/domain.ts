/** Domain types both sides agree on. Plain data only: everything here crosses process boundaries as JSON. */

export type SampleStatus = 'active' | 'excluded';
export type AngleMode = 'full' | 'axial';
export type StrategyName = 'fps' | 'random' | 'typiclust' | 'fps-dense';
export type AnnotationSource = 'hand' | 'propagated' | 'imported';

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

export interface ProjectSettings {
  angleMode: AngleMode;
  strategy: StrategyName;
  randomSeed: number;
  inputSize: number;
  latentDim: number;
  channels: 1 | 3;
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
  backend: string | null;
  settings: ProjectSettings;
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

export type JobKind = 'import' | 'train' | 'embed' | 'queue' | 'duplicates' | 'evaluate' | 'predict';
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
  total: number;
  samples: SampleInfo[];
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
  /** Rows matched by file content because no sample had their path. */
  matchedByHash: number;
  /** Extra columns stored per sample (usable as --group-column). */
  attributes: string[];
  unmatched: LabelRowProblem[];
  malformed: LabelRowProblem[];
}
