import { z } from 'zod';
import { request } from './define';
import { angleDeg, empty, modelId, sampleId, strategyName } from './schemas';
import type { AnnotationRecord, AnnotatorCount, AnnotatorInfo, SampleInfo, SimilarLabeled } from '../domain';

const annotationId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Saving labels, undo, excluding samples and reading a sample's history. */
export const annotationRequests = {
  saveLabel: request(
    z
      .object({
        sampleId,
        angle: angleDeg,
        /** Queue position and strategy when the user labeled it, recorded for the paper's evaluation. */
        queueRank: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().default(null),
        strategy: strategyName.nullable().default(null),
        /** 'suggestion': the model's prediction accepted unchanged, stored apart from hand labels with the model that made it. */
        source: z.enum(['hand', 'suggestion']).default('hand'),
        modelId: modelId.nullable().default(null),
      })
      .strict()
      .refine((a) => a.source !== 'suggestion' || a.modelId !== null, { message: 'an accepted suggestion needs the modelId of the model that made it', path: ['modelId'] }),
    "Store an expert's label (degrees; wrapped to the project angle mode). Labeling an excluded sample brings it back into the pool. The stored queue rank is the labels already stored plus the sample's position in the current queue, where it is in the queue.",
  ).returns<AnnotationRecord>(),
  revertLabel: request(
    z.object({ annotationId }).strict(),
    "Undo one history entry: append an entry that puts the sample's label back to exactly what it was before (value, source, model; or no label).",
  ).returns<AnnotationRecord>(),
  reapplyLabel: request(
    z.object({ annotationId }).strict(),
    'Redo one history entry: append an entry that puts its value (and source, model) back as the current label.',
  ).returns<AnnotationRecord>(),
  revertLabels: request(
    z.object({ annotationIds: z.array(annotationId).min(1).max(100_000) }).strict(),
    "Undo several history entries in one write (a propagation's, latest first): each sample's label back to exactly what it was before. Returns the entries appended.",
  ).returns<{ written: number[] }>(),
  reapplyLabels: request(
    z.object({ annotationIds: z.array(annotationId).min(1).max(100_000) }).strict(),
    'Redo several history entries in one write: each one\'s value (and source, model) back as its sample\'s current label. Returns the entries appended.',
  ).returns<{ written: number[] }>(),
  undoLastLabel: request(empty, 'Revert the most recent hand label of this project (appends to the history).').returns<AnnotationRecord | null>(),
  clearLabel: request(z.object({ sampleId }).strict(), 'Remove the current label of a sample (appends to the history).').returns<AnnotationRecord>(),
  setSampleStatus: request(
    z.object({ sampleIds: z.array(sampleId).min(1).max(100_000), status: z.enum(['active', 'excluded']) }).strict(),
    'Exclude samples from the pool or restore them.',
  ).returns<{ changed: number; samples: SampleInfo[] }>(),
  getAnnotator: request(empty, 'Who is labeling (stored with every label) and the OS user name, the default.').returns<AnnotatorInfo>(),
  setAnnotator: request(
    z
      .object({
        // Not 'name': an Error object would pass for an argument through Error.prototype.name.
        annotator: z
          .string()
          .trim()
          .min(1, 'an annotator name is required')
          .max(100, 'an annotator name is at most 100 characters')
          .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'an annotator name cannot contain control characters'),
      })
      .strict(),
    'Set who is labeling from now on (remembered for this user).',
  ).returns<AnnotatorInfo>(),
  annotatorCounts: request(empty, 'Current labels per annotator, most first.').returns<AnnotatorCount[]>(),
  annotationHistory: request(z.object({ sampleId }).strict(), 'Every annotation of one sample, oldest first.').returns<AnnotationRecord[]>(),
  similarLabeled: request(
    z.object({ sampleId, limit: z.number().int().min(1).max(12).default(3) }).strict(),
    "The labeled active samples nearest to this one in the current model's latent space (exact, Euclidean), nearest first, the sample itself left out; empty without a current model, a vector for this sample, or labels.",
  ).returns<SimilarLabeled[]>(),
};
