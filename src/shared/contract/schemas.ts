import { z } from 'zod';
import { strategyNames } from '../strategy-names';

/** Argument building blocks reused by every area of the contract. */

export const sampleId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const modelId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const jobId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'job ids are letters, digits, _ and -');
/** A local file-system path as typed by the user; the back end resolves and checks it. */
export const localPath = z
  .string()
  .min(1, 'a path is required')
  .max(4096, 'path is longer than 4096 characters')
  .refine((s) => !s.includes('\0'), 'path contains a NUL character');
export const angleDeg = z.number().finite().min(-3600).max(3600);
export const seed = z.number().int().min(0).max(2 ** 31 - 1);
export const empty = z.object({}).strict();
export const pageArgs = z
  .object({
    offset: z.number().int().min(0).max(100_000_000).default(0),
    limit: z.number().int().min(1).max(5000).default(200),
  })
  .strict();

/** Samples TypiClust picks at a time (the project setting, or a queue preview's). */
export const typiclustBatch = z.number().int().min(1).max(1000);

/** Any strategy name (src/shared/strategy-names.ts). */
export const strategyName = z.enum(strategyNames);
