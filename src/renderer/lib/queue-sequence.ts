import type { AppState } from './app-state.svelte';
import { importOrderSequence, type LabelSequence } from './label-sequence';

/**
 * The labeling queue in the project's strategy (FPS or random, issue 4),
 * rank 1 first. Skipped samples sit at its end, so they come back only after
 * everything else.
 */
export const queueSequence: LabelSequence = async (api, count, exclude) => {
  const page = await api.getQueue({ offset: 0, limit: Math.min(5000, count + exclude.size) });
  // A large project's queue may still be computing off the main thread: the next sample alone is always ready.
  const entries = page.entries.length === 0 && page.computing ? [await api.nextToLabel({})].filter((e) => e !== null) : page.entries;
  return entries
    .filter((e) => !exclude.has(e.sampleId) && e.angle === null)
    .slice(0, count)
    .map((e) => ({ sampleId: e.sampleId, rank: e.rank, strategy: page.strategy }));
};

/**
 * The order the annotation tool follows: the queue once the samples are
 * embedded, import order before that (a new project can be labeled at once).
 */
export function labelSequenceFor(app: AppState): LabelSequence {
  return (app.status?.embedded ?? 0) > 0 ? queueSequence : importOrderSequence;
}
