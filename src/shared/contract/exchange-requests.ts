import { z } from 'zod';
import { request } from './define';
import { empty, localPath } from './schemas';
import type { AgreementReport, Conflict, MergeSummary } from '../label-exchange';

/** Label exchange between offline sites and annotator agreement. */
export const exchangeRequests = {
  exportLabelPack: request(
    z.object({ path: localPath }).strict(),
    'Write a label pack (every annotation with annotator, time, source and the image content hash; no pixels or paths) to a file.',
  ).returns<{ file: string; samples: number; annotations: number }>(),
  mergeLabelPack: request(
    z.object({ path: localPath }).strict(),
    "Merge another site's label pack: matched by content hash, kept beside the local history (never overwriting it); merging twice adds nothing.",
  ).returns<MergeSummary>(),
  getAgreement: request(empty, 'Agreement of annotators on samples two or more labeled: circular mean absolute difference, share within 5° and 10°, per pair.').returns<AgreementReport>(),
  listLabelConflicts: request(
    z.object({ tolerance: z.number().min(0).max(180).default(10) }).strict(),
    'Samples whose annotators differ by more than the tolerance (degrees), with every annotator\'s angle side by side.',
  ).returns<Conflict[]>(),
};
