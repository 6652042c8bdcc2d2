import { z } from 'zod';
import { request } from './define';
import { angleDeg, sampleId, strategyName } from './schemas';
import type { ReviewActionResult, ReviewPage } from '../domain';


/** The position after the last row of the previous page (keyset paging: no OFFSET over a million samples). */
const reviewCursor = z
  .object({
    phase: z.enum(['keyed', 'rest']),
    key: z.union([z.number().finite(), z.string().max(4096)]).nullable(),
    id: sampleId,
  })
  .strict();

export const reviewQuerySchema = z
  .object({
    filter: z.enum(['all', 'unlabeled', 'labeled', 'skipped', 'excluded', 'propagated', 'suggested', 'adjudicated']).default('all'),
    /** Only labels by this annotator. */
    author: z.string().trim().min(1, 'the annotator name is empty').max(200).optional(),
    /** Only labels made while this strategy ordered the queue. */
    strategy: strategyName.optional(),
    /** Only labels whose angle lies in [angleMin, angleMax] (degrees); a range with min above max wraps through 0°. */
    angleMin: angleDeg.optional(),
    angleMax: angleDeg.optional(),
    /** Part of the file path, any case. */
    search: z.string().max(500, 'the search text is longer than 500 characters').default(''),
    sort: z.enum(['id', 'name', 'labeledAt', 'angle', 'rank']).default('id'),
    descending: z.boolean().default(false),
    after: reviewCursor.nullable().default(null),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()
  .refine((q) => (q.angleMin === undefined) === (q.angleMax === undefined), {
    message: 'an angle range needs both angleMin and angleMax',
    path: ['angleMax'],
  });

/** Review mode: every sample with filters, sort and search, and bulk actions on a selection. */
export const reviewRequests = {
  reviewSamples: request(
    reviewQuerySchema,
    'A page of samples with filters (status, annotator, strategy, angle range), a sort and a file-name search; counts per filter. Page with `after` = the previous page\'s `next`.',
  ).returns<ReviewPage>(),
  reviewAction: request(
    z
      .object({
        action: z.enum(['include', 'exclude', 'clearSkip']),
        sampleIds: z.array(sampleId).min(1, 'select at least one sample').max(100_000),
      })
      .strict(),
    'Include (restore), exclude, or bring back skipped samples, in one step; status changes are logged with the annotator.',
  ).returns<ReviewActionResult>(),
};
