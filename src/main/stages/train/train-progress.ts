import type { EncoderKind, EpochRecord, JobProgress, TfBackendName, TrainProgressExtra } from '../../../shared/domain';

/** Validation images whose reconstructions (or views) the training view shows after each epoch. */
export const STRIP_COUNT = 6;

/** A training run's progress: the job's counts, with the fields the training view draws (TrainProgressExtra). */
export class TrainProgress {
  readonly extra: TrainProgressExtra;
  private readonly hooks: { onProgress?(progress: JobProgress): void };

  constructor(hooks: { onProgress?(progress: JobProgress): void }, epochs: number, backend: TfBackendName, encoder: EncoderKind) {
    this.hooks = hooks;
    this.extra = {
      phase: 'decoding', epoch: 0, epochs, batch: 0, batches: 0, loss: null, valLoss: null, imagesPerSecond: null, etaSeconds: null,
      backend, encoder, trainLosses: [], valLosses: [], strip: null, stripEpoch: null, stripCount: STRIP_COUNT, sample: null,
    };
  }

  /** Sends a copy of the fields, so a listener may keep it while training goes on. */
  report(p: Omit<JobProgress, 'extra'>): void {
    this.hooks.onProgress?.({ ...p, extra: { ...this.extra } as unknown as JobProgress['extra'] });
  }

  /** The loss curves so far. */
  showHistory(history: readonly EpochRecord[]): void {
    this.extra.trainLosses = history.map((h) => h.trainLoss);
    this.extra.valLosses = history.map((h) => h.valLoss);
  }
}
