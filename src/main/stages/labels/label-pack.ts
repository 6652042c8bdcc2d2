import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AngleMode } from '../../../shared/domain';
import { normalizeAngle } from '../../../shared/angles';
import { MAX_UNMATCHED_LISTED, type MergeSummary } from '../../../shared/label-exchange';
import { FarpointError } from '../../core/errors';
import { angleConvention, type AngleConvention } from '../export/angle-convention';
import { writeOrExplain, type Db } from '../../store/database';
import { mergedAnnotationsByHash, mergedAnnotationWriter, ownAnnotationsByHash } from '../../store/label-exchange-store';
import { readMeta, readSettings, writeMeta } from '../../store/settings';

/**
 * A label pack: every annotation of a project with who made it, when and
 * how, keyed by each image's content hash. No pixels and no paths, so a
 * pack can leave a site where images cannot; the other site matches it to
 * its own copies of the images by content.
 */
export interface LabelPack {
  format: 'farpoint-label-pack';
  version: 1;
  /** The project the labels come from: a random id made once per project, and its name for people. */
  origin: { id: string; name: string };
  exportedAt: string;
  angleMode: AngleMode;
  angleConvention: AngleConvention;
  samples: { contentHash: string; annotations: PackAnnotation[] }[];
}

export interface PackAnnotation {
  /** Where the annotation was made: the pack's own project, or a project it had merged from. */
  origin: string;
  originName: string;
  /** Its id in that project. */
  originId: number;
  angle: number | null;
  action: string;
  source: string;
  author: string;
  createdAt: string;
}

/** This project's id in packs, made on first use. */
export function projectOriginId(db: Db): string {
  const existing = readMeta(db, 'origin_id');
  if (existing) return existing;
  const id = randomUUID();
  writeOrExplain(() => writeMeta(db, 'origin_id', id));
  return id;
}

export function exportLabelPack(db: Db, projectFile: string): LabelPack {
  const origin = { id: projectOriginId(db), name: path.basename(projectFile, '.farpoint') };
  const mode = readSettings(db).angleMode;
  const bySample = new Map<string, PackAnnotation[]>();
  for (const { hash, ...r } of ownAnnotationsByHash(db)) push(bySample, hash, { ...r, origin: origin.id, originName: origin.name });
  // What this project merged from others travels on, so labels can pass through a hub site unchanged.
  for (const { hash, ...r } of mergedAnnotationsByHash(db)) push(bySample, hash, { ...r, origin: r.origin!, originName: r.originName! });
  return {
    format: 'farpoint-label-pack',
    version: 1,
    origin,
    exportedAt: new Date().toISOString(),
    angleMode: mode,
    angleConvention: angleConvention(mode),
    samples: [...bySample].map(([contentHash, annotations]) => ({ contentHash, annotations })),
  };
}

function push(map: Map<string, PackAnnotation[]>, key: string, value: PackAnnotation): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Checks the shape of a parsed pack file, naming the first thing wrong. */
export function validateLabelPack(raw: unknown, file: string): LabelPack {
  const pack = raw as Partial<LabelPack> | null;
  if (!pack || pack.format !== 'farpoint-label-pack') throw new FarpointError(`${file} is not a Farpoint label pack (no "format": "farpoint-label-pack")`);
  if (pack.version !== 1) throw new FarpointError(`${file}: label pack version ${String(pack.version)} is not supported (1 is)`);
  if (!pack.origin?.id || !Array.isArray(pack.samples)) throw new FarpointError(`${file}: label pack has no origin or no samples`);
  if (pack.angleMode !== 'full' && pack.angleMode !== 'axial') throw new FarpointError(`${file}: label pack angle mode '${String(pack.angleMode)}' is neither full nor axial`);
  for (const [i, sample] of pack.samples.entries()) {
    if (typeof sample?.contentHash !== 'string' || !Array.isArray(sample.annotations)) throw new FarpointError(`${file}: sample ${i + 1} has no content hash or annotations`);
    for (const a of sample.annotations) {
      if (typeof a.originId !== 'number' || typeof a.author !== 'string' || typeof a.createdAt !== 'string' || (a.angle !== null && !Number.isFinite(a.angle))) {
        throw new FarpointError(`${file}: sample ${sample.contentHash.slice(0, 12)} has a malformed annotation`);
      }
    }
  }
  return pack as LabelPack;
}

/**
 * Merges a pack: each annotation lands beside the local history of the
 * sample with the same content hash, never in it, so no local label is
 * overwritten. Merging the same pack (or one that overlaps) again adds
 * only what is new. Angles are read in the pack's convention and stored in
 * this project's (an axial project folds full-circle angles onto 0–180°).
 */
export function mergeLabelPack(db: Db, pack: LabelPack): MergeSummary {
  const self = projectOriginId(db);
  const mode = readSettings(db).angleMode;
  const writer = mergedAnnotationWriter(db);
  const summary: MergeSummary = { origin: pack.origin.name, added: 0, alreadyMerged: 0, unmatchedImages: 0, unmatchedHashes: [], matchedImages: 0 };
  const now = new Date().toISOString();
  writeOrExplain(() =>
    db.transaction(() => {
      for (const sample of pack.samples) {
        const ids = writer.samplesWithHash(sample.contentHash);
        if (ids.length === 0) {
          summary.unmatchedImages++;
          if (summary.unmatchedHashes.length < MAX_UNMATCHED_LISTED) summary.unmatchedHashes.push(sample.contentHash);
          continue;
        }
        summary.matchedImages++;
        for (const a of sample.annotations) {
          // This project's own labels, coming back through another site's pack, are already here.
          if (a.origin === self) {
            summary.alreadyMerged++;
            continue;
          }
          const angle = a.angle === null ? null : normalizeAngle(a.angle, mode);
          // The first sample with the hash carries the merged history (exact duplicates share their label's meaning).
          const added = writer.insert({ ...a, sampleId: ids[0]!, angle }, now);
          if (added) summary.added++;
          else summary.alreadyMerged++;
        }
      }
    }).immediate(),
  );
  return summary;
}
