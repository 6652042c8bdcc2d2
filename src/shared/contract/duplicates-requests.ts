import { z } from 'zod';
import { request } from './define';
import { sampleId } from './schemas';
import type { DuplicateReport, JobInfo, KeepOneResult, PropagationResult } from '../domain';

/** A latent distance as the user sets it on the histogram (non-negative, finite). */
const distanceThreshold = z.number().finite().min(0, 'the threshold is a distance: it cannot be negative').max(1e12);
const memberIds = z.array(sampleId).min(1).max(100_000);

/** Near-duplicate clusters: the neighbour graph, clusters at a threshold, and bulk review actions. */
export const duplicatesRequests = {
  buildNeighbourGraph: request(
    z.object({ k: z.number().int().min(1).max(100).default(10) }).strict(),
    'Start the job that builds the k-nearest-neighbour graph of the current embeddings (exact when small, HNSW with measured recall when large).',
  ).returns<JobInfo>(),
  duplicateClusters: request(
    z
      .object({
        /** Omitted: the threshold saved for this model, else the proposed one. */
        threshold: distanceThreshold.optional(),
        offset: z.number().int().min(0).max(100_000_000).default(0),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
    'Near-duplicate clusters at a threshold (largest first), the nearest-neighbour histogram and the proposed threshold; no new neighbour search.',
  ).returns<DuplicateReport>(),
  setDuplicateThreshold: request(
    z.object({ threshold: distanceThreshold.nullable() }).strict(),
    'Remember the threshold for the current model (null: back to the proposed one).',
  ).returns<{ threshold: number | null }>(),
  keepOneExcludeRest: request(
    z
      .object({ keepId: sampleId, memberIds: memberIds.min(2) })
      .strict()
      .refine((a) => a.memberIds.includes(a.keepId), { message: 'keepId must be one of memberIds', path: ['keepId'] }),
    'Keep one member of a cluster in the pool and exclude the others (undo: setSampleStatus active for the members it excluded, excluded again for the kept one where it was restored).',
  ).returns<KeepOneResult>(),
  propagateClusterLabel: request(
    z
      .object({
        fromId: sampleId,
        toIds: memberIds,
        /** Refuse (409) when the members' labels or suggestions lie further than this from the copied angle (degrees); null: no check (the user confirmed). */
        maxSpread: z.number().finite().min(0, 'the spread limit cannot be negative').max(180).nullable().default(null),
      })
      .strict(),
    "Copy one member's label to the others as 'propagated' (hand labels are left alone); refused above maxSpread, with the spread in the message. The entries written are returned (undo: revertLabels).",
  ).returns<PropagationResult>(),
  clearPropagatedLabels: request(
    z.object({ sampleIds: memberIds }).strict(),
    "Remove propagated labels among these samples (appends 'clear' entries, returned in the order of `cleared`; hand labels stay; undo: revertLabels).",
  ).returns<{ cleared: number[]; entryIds: number[] }>(),
};
