import { z } from 'zod';
import { request } from './define';
import { empty, pageArgs, sampleId, strategyName, typiclustBatch } from './schemas';
import type { CoverageCurve, JobInfo, MoveToFrontResult, QueueEntry, QueuePage } from '../domain';

const queueStrategy = strategyName;

/** The labeling queue (furthest-point, random, typiclust, fps-dense, probcover or auto order), skipping, the front, and coverage. */
export const selectionRequests = {
  getQueue: request(
    pageArgs
      .extend({
        strategy: queueStrategy.optional(),
        /** Another TypiClust batch size than the project's: a preview, computed in the request and never stored. */
        typiclustBatch: typiclustBatch.optional(),
      })
      .strict(),
    "A page of the labeling queue in the project's strategy (or the one given); rank 1 is next. " +
      "With typiclustBatch, a typiclust page is a preview of that batch size (computed in this request, not stored; the project's setting is unchanged), offered on pools of up to 2,000 samples (409 above).",
  ).returns<QueuePage>(),
  nextToLabel: request(
    z.object({ strategy: queueStrategy.optional() }).strict(),
    'The sample to label next, or null when every active sample is labeled.',
  ).returns<QueueEntry | null>(),
  skipSample: request(
    z.object({ sampleId }).strict(),
    'Move a sample to the end of the queue for this session (it still counts as seen for the order); returns the new next entry.',
  ).returns<QueueEntry | null>(),
  unskipSample: request(z.object({ sampleId }).strict(), 'Undo a skip of this session: the sample goes back to its place in the queue.').returns<{ unskipped: boolean }>(),
  clearSkips: request(empty, 'Bring every sample skipped in this session back to its place.').returns<{ cleared: number }>(),
  moveToFront: request(
    z.object({ sampleIds: z.array(sampleId).min(1).max(100_000) }).strict(),
    'Put samples at the head of the queue, before any strategy\'s order (newest request first; furthest-point order among them). ' +
      'Stored in the project; each leaves the front when labeled, skipped or excluded. Labeled, excluded and unembedded ones are ignored.',
  ).returns<MoveToFrontResult>(),
  clearFront: request(empty, 'Empty the front of the queue: the strategy\'s own order applies again.').returns<{ cleared: number }>(),
  computeQueue: request(
    empty,
    'Compute the whole furthest-point order in the compute worker (progress as job events); the queue serves it when done.',
  ).returns<JobInfo>(),
  getCoverage: request(empty, 'Covering radius after each label spent, plus where the FPS queue would take it next.').returns<CoverageCurve>(),
};
