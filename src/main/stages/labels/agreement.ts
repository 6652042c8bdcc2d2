import { angularDifference } from '../../../shared/angles';
import type { Adjudication, AgreementReport, AnnotatorLabel, Conflict } from '../../../shared/label-exchange';
import { currentLabelEntry } from '../../store/annotations';
import type { Db } from '../../store/database';
import { handLabelEntries, type HandLabelEntry } from '../../store/label-exchange-store';
import { getSample } from '../../store/samples';
import { readSettings } from '../../store/settings';

/**
 * Each sample's annotators and their current angles. Only hand labels
 * count: propagated and imported ones are not an expert's judgement. The
 * later entry of an annotator wins (an undo or a clear included), whether
 * it was made here or merged from a pack.
 */
export function annotatorLabels(db: Db): Map<number, AnnotatorLabel[]> {
  const latest = new Map<number, Map<string, HandLabelEntry>>();
  for (const row of handLabelEntries(db)) {
    let byAuthor = latest.get(row.sampleId);
    if (!byAuthor) latest.set(row.sampleId, (byAuthor = new Map()));
    byAuthor.set(row.author, row);
  }
  const out = new Map<number, AnnotatorLabel[]>();
  for (const [sampleId, byAuthor] of latest) {
    const labels = [...byAuthor.values()]
      .filter((e) => e.angle !== null)
      .map((e) => ({ author: e.author, angle: e.angle!, from: e.from, at: e.createdAt }))
      .sort((x, y) => x.author.localeCompare(y.author));
    if (labels.length > 0) out.set(sampleId, labels);
  }
  return out;
}

export function computeAgreement(db: Db): AgreementReport {
  const mode = readSettings(db).angleMode;
  const pairs = new Map<string, { a: string; b: string; diffs: number[] }>();
  const all: number[] = [];
  const annotators = new Set<string>();
  let samples = 0;
  for (const labels of annotatorLabels(db).values()) {
    if (labels.length < 2) continue;
    samples++;
    for (let i = 0; i < labels.length; i++) {
      annotators.add(labels[i]!.author);
      for (let j = i + 1; j < labels.length; j++) {
        const d = angularDifference(labels[i]!.angle, labels[j]!.angle, mode);
        const key = `${labels[i]!.author}\u0000${labels[j]!.author}`;
        let pair = pairs.get(key);
        if (!pair) pairs.set(key, (pair = { a: labels[i]!.author, b: labels[j]!.author, diffs: [] }));
        pair.diffs.push(d);
        all.push(d);
      }
    }
  }
  const summary = (diffs: number[]) => ({
    meanAbsDifference: diffs.reduce((s, d) => s + d, 0) / diffs.length,
    within5: diffs.filter((d) => d <= 5).length / diffs.length,
    within10: diffs.filter((d) => d <= 10).length / diffs.length,
  });
  const overall = all.length > 0 ? summary(all) : { meanAbsDifference: null, within5: null, within10: null };
  return {
    angleMode: mode,
    samples,
    annotators: [...annotators].sort(),
    ...overall,
    pairs: [...pairs.values()].map((p) => ({ a: p.a, b: p.b, samples: p.diffs.length, ...summary(p.diffs) })).sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b)),
  };
}

/** Samples whose annotators disagree by more than `tolerance` degrees, every label kept side by side. */
export function listConflicts(db: Db, tolerance: number): Conflict[] {
  const mode = readSettings(db).angleMode;
  const conflicts: Conflict[] = [];
  for (const [sampleId, labels] of annotatorLabels(db)) {
    let max = 0;
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) max = Math.max(max, angularDifference(labels[i]!.angle, labels[j]!.angle, mode));
    if (max <= tolerance) continue;
    const { path, contentHash } = getSample(db, sampleId);
    conflicts.push({ sampleId, path, contentHash, maxDifference: max, labels, adjudicated: adjudicationOf(db, sampleId) });
  }
  return conflicts.sort((x, y) => y.maxDifference - x.maxDifference || x.sampleId - y.sampleId);
}

/** The sample's adjudicated angle while it is still its label; a later hand label or an undo replaces it. */
function adjudicationOf(db: Db, sampleId: number): Adjudication | null {
  const current = currentLabelEntry(db, sampleId);
  if (current?.source !== 'adjudicated') return null;
  return { annotationId: current.annotationId, angle: current.angle, author: current.author, at: current.createdAt };
}
