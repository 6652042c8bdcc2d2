import { z } from 'zod';
import { request } from './define';
import { angleDeg, empty, sampleId } from './schemas';
import type { AnnotationRecord, SampleInfo } from '../domain';

/** Saving labels, undo, excluding samples and reading a sample's history. */
export const annotationRequests = {
  saveLabel: request(
    z
      .object({
        sampleId,
        angle: angleDeg,
        /** Queue position and strategy when the user labeled it, recorded for the paper's evaluation. */
        queueRank: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().default(null),
        strategy: z.enum(['fps', 'random', 'typiclust', 'fps-dense', 'probcover', 'auto']).nullable().default(null),
      })
      .strict(),
    'Store a hand label (degrees; wrapped to the project angle mode).',
  ).returns<AnnotationRecord>(),
  undoLastLabel: request(empty, 'Revert the most recent hand label of this project (appends to the history).').returns<AnnotationRecord | null>(),
  clearLabel: request(z.object({ sampleId }).strict(), 'Remove the current label of a sample (appends to the history).').returns<AnnotationRecord>(),
  setSampleStatus: request(
    z.object({ sampleIds: z.array(sampleId).min(1).max(100_000), status: z.enum(['active', 'excluded']) }).strict(),
    'Exclude samples from the pool or restore them.',
  ).returns<{ changed: number; samples: SampleInfo[] }>(),
  annotationHistory: request(z.object({ sampleId }).strict(), 'Every annotation of one sample, oldest first.').returns<AnnotationRecord[]>(),
};
