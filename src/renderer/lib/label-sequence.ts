import type { FarpointApi } from '../../shared/contract';
import type { StrategyName } from '../../shared/domain';

/** One place in the order the expert labels in. */
export interface QueueSlot {
  sampleId: number;
  /** Position in the queue when it was shown (stored with the label for the paper's evaluation); null outside a queue. */
  rank: number | null;
  strategy: StrategyName | null;
}

/**
 * What the annotation tool labels next. The next `count` slots, never
 * including the samples in `exclude` (the one on screen, ones just labeled
 * whose save is still in flight).
 */
export type LabelSequence = (api: FarpointApi, count: number, exclude: ReadonlySet<number>) => Promise<QueueSlot[]>;

/** Unlabeled active samples in import order: the order before any queue exists. */
export const importOrderSequence: LabelSequence = async (api, count, exclude) => {
  const page = await api.listSamples({ status: 'unlabeled', limit: Math.min(5000, count + exclude.size) });
  return page.samples
    .filter((s) => !exclude.has(s.id))
    .slice(0, count)
    .map((s) => ({ sampleId: s.id, rank: null, strategy: null }));
};
