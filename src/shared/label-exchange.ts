/** Results of label exchange between sites and of annotator agreement, as the CLI and the UI show them. */

import type { AngleMode } from './domain';

/** One annotator's current angle for a sample: their latest hand entry, local or merged from another site. */
export interface AnnotatorLabel {
  author: string;
  angle: number;
  /** 'local' or the name of the project it was merged from. */
  from: string;
  at: string;
}

export interface PairAgreement {
  a: string;
  b: string;
  samples: number;
  meanAbsDifference: number;
  within5: number;
  within10: number;
}

export interface AgreementReport {
  angleMode: AngleMode;
  /** Samples labeled by two annotators or more. */
  samples: number;
  annotators: string[];
  /** Over every pair of annotators on every such sample, in degrees (circular: 350° and 10° are 20° apart). */
  meanAbsDifference: number | null;
  /** Share of those pairs within 5° and within 10°. */
  within5: number | null;
  within10: number | null;
  pairs: PairAgreement[];
}

/** The final angle an expert chose for a conflicting sample (its current label, source 'adjudicated'). */
export interface Adjudication {
  annotationId: number;
  angle: number;
  author: string;
  at: string;
}

export interface Conflict {
  sampleId: number;
  path: string;
  contentHash: string;
  maxDifference: number;
  labels: AnnotatorLabel[];
  /** Null until an expert adjudicates it (or after a later label replaced the adjudication). */
  adjudicated: Adjudication | null;
}

export interface MergeSummary {
  origin: string;
  /** Annotations added by this merge (0 when the pack was merged before). */
  added: number;
  /** Already present from an earlier merge. */
  alreadyMerged: number;
  /** The pack's images this project does not have (matched by content hash). */
  unmatchedImages: number;
  /** Their content hashes, the first MAX_UNMATCHED_LISTED of them, so a site can look for the missing images. */
  unmatchedHashes: string[];
  matchedImages: number;
}

/** How many unmatched hashes a merge lists (the count is always whole). */
export const MAX_UNMATCHED_LISTED = 1000;

/** What the app shows after a merge: the summary and the project's conflicts, marking those this merge raised. */
export interface MergeReport extends MergeSummary {
  tolerance: number;
  conflicts: Conflict[];
  /** Samples in `conflicts` that were not in conflict (or not with these labels) before this merge. */
  newConflicts: number[];
}

