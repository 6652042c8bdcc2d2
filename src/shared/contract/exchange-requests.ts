import { z } from 'zod';
import { request } from './define';
import { angleDeg, empty, localPath, sampleId } from './schemas';
import type { AnnotationRecord } from '../domain';
import type { AgreementReport, Conflict, MergeReport } from '../label-exchange';

const tolerance = z.number().min(0).max(180).default(10);

/** Label exchange between offline sites and annotator agreement. */
export const exchangeRequests = {
  exportLabelPack: request(
    z.object({ path: localPath }).strict(),
    'Write a label pack (every annotation with annotator, time, source and the image content hash; no pixels or paths) to a file.',
  ).returns<{ file: string; samples: number; annotations: number }>(),
  mergeLabelPack: request(
    z.object({ path: localPath, tolerance }).strict(),
    "Merge another site's label pack: matched by content hash, kept beside the local history (never overwriting it); merging twice adds nothing. Answers with the conflicts (annotators more than the tolerance apart, in degrees) and which of them this merge raised.",
  ).returns<MergeReport>(),
  getAgreement: request(empty, 'Agreement of annotators on samples two or more labeled: circular mean absolute difference, share within 5° and 10°, per pair.').returns<AgreementReport>(),
  listLabelConflicts: request(
    z.object({ tolerance }).strict(),
    "Samples whose annotators differ by more than the tolerance (degrees), with every annotator's angle side by side and the adjudicated angle where there is one.",
  ).returns<Conflict[]>(),
  adjudicateLabel: request(
    z.object({ sampleId, angle: angleDeg }).strict(),
    "Store an expert's final angle for a sample (source 'adjudicated', wrapped to the project angle mode): it becomes the sample's label; every annotator's own label stays in the history and the agreement figures. Undo with revertLabel.",
  ).returns<AnnotationRecord>(),
};
