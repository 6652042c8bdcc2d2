import type { AngleMode } from '../../../shared/domain';
import { angleConvention, angleConventionComment } from './angle-convention';
import { annotationHistoryReader } from '../../store/annotations';
import { exportRows, type ExportRow } from '../../store/export-rows';
import { attributeNames, sampleAttributesReader } from '../../store/sample-attributes';
import { listEvaluationRecords } from '../../store/evaluation-store';
import type { Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { csvField } from '../labels/parse-csv';

export type ExportFormat = 'csv' | 'json' | 'coco';

/** Fixed columns of the CSV; `path` and `angle_deg` are the ones `farpoint labels import` reads back. */
export const EXPORT_COLUMNS = ['path', 'angle_deg', 'content_hash', 'status', 'source', 'author', 'labeled_at', 'queue_rank', 'strategy', 'frame', 'study_uid', 'series_uid', 'sop_uid'] as const;

/**
 * Writes every sample with its current label (empty when unlabeled), who set
 * it and when, and the queue rank and strategy at labeling time. Rows are
 * streamed to `write` from one query, so a million samples never sit in
 * memory as one string. Imported CSV columns (object type...) follow the
 * fixed ones, so a round trip through `labels import` keeps them too.
 */
export function exportProject(db: Db, format: ExportFormat, write: (chunk: string) => void): { samples: number; labeled: number } {
  const names = attributeNames(db);
  const readAttributes = sampleAttributesReader(db);
  const rows = exportRows(db);
  let samples = 0;
  let labeled = 0;
  const buffer = new ChunkedWriter(write);
  const settings = readSettings(db);
  // Identifying attributes are written only while the project keeps them (stored ones stay out once it is turned off).
  const patientOf = (r: ExportRow): Record<string, string> | undefined =>
    settings.keepPatientAttributes && r.identifying ? (JSON.parse(r.identifying) as Record<string, string>) : undefined;

  if (format === 'coco') {
    const counts = writeCoco(rows, settings.angleMode, patientOf, buffer);
    buffer.flush();
    return counts;
  }

  if (format === 'csv') {
    buffer.push(angleConventionComment(settings.angleMode));
    buffer.push([...EXPORT_COLUMNS, ...names].map(csvField).join(',') + '\n');
    for (const r of rows) {
      samples++;
      if (r.angle !== null) labeled++;
      const attributes = names.length ? readAttributes(r.id) : {};
      const fields = [r.path, r.angle, r.content_hash, r.status, r.source, r.author, r.created_at, r.queue_rank, r.strategy, r.frame, r.study_uid, r.series_uid, r.sop_uid, ...names.map((n) => attributes[n] ?? null)];
      buffer.push(fields.map(csvField).join(',') + '\n');
    }
    buffer.flush();
    return { samples, labeled };
  }

  const history = annotationHistoryReader(db);
  const head = { format: 'farpoint-export', version: 1, exportedAt: new Date().toISOString(), angleConvention: angleConvention(settings.angleMode), settings };
  buffer.push(JSON.stringify(head).slice(0, -1) + ',"samples":[');
  for (const r of rows) {
    if (samples > 0) buffer.push(',');
    samples++;
    if (r.angle !== null) labeled++;
    buffer.push(
      '\n' +
        JSON.stringify({
          id: r.id,
          path: r.path,
          contentHash: r.content_hash,
          status: r.status,
          angle: r.angle,
          source: r.source,
          author: r.author,
          labeledAt: r.created_at,
          queueRank: r.queue_rank,
          strategy: r.strategy,
          attributes: readAttributes(r.id),
          ...(r.sop_uid !== null ? { dicom: { studyInstanceUid: r.study_uid, seriesInstanceUid: r.series_uid, sopInstanceUid: r.sop_uid, frame: r.frame, patient: patientOf(r) } } : {}),
          history: history(r.id),
        }),
    );
  }
  buffer.push('\n],"evaluations":' + JSON.stringify(listEvaluationRecords(db)) + '}\n');
  buffer.flush();
  return { samples, labeled };
}

/**
 * COCO-style JSON: one image per sample (with its DICOM UIDs and frame),
 * one annotation per labeled sample whose box is the whole image and whose
 * angle is an attribute, as CVAT and FiftyOne read attributes.
 */
function writeCoco(
  rows: IterableIterator<ExportRow>,
  mode: AngleMode,
  patientOf: (r: ExportRow) => Record<string, string> | undefined,
  buffer: ChunkedWriter,
): { samples: number; labeled: number } {
  const info = { description: 'Farpoint orientation labels', version: '1', date_created: new Date().toISOString(), angle_convention: angleConvention(mode) };
  buffer.push(`{"info":${JSON.stringify(info)},"categories":[{"id":1,"name":"object","supercategory":"object"}],"images":[`);
  const annotations: string[] = [];
  let samples = 0;
  for (const r of rows) {
    buffer.push((samples++ > 0 ? ',' : '') + '\n');
    const dicom = r.sop_uid !== null ? { study_instance_uid: r.study_uid, series_instance_uid: r.series_uid, sop_instance_uid: r.sop_uid, frame_number: r.frame, patient: patientOf(r) } : {};
    buffer.push(JSON.stringify({ id: r.id, file_name: r.path, width: r.width, height: r.height, content_hash: r.content_hash, status: r.status, ...dicom }));
    if (r.angle === null) continue;
    annotations.push(
      JSON.stringify({
        id: annotations.length + 1,
        image_id: r.id,
        category_id: 1,
        bbox: [0, 0, r.width, r.height],
        area: r.width * r.height,
        iscrowd: 0,
        attributes: { angle_deg: r.angle, source: r.source, author: r.author, labeled_at: r.created_at },
      }),
    );
  }
  buffer.push('\n],"annotations":[');
  annotations.forEach((a, i) => buffer.push((i > 0 ? ',' : '') + '\n' + a));
  buffer.push('\n]}\n');
  return { samples, labeled: annotations.length };
}

/** Collects small strings and hands them on in ~1 MB pieces (one write call per row would be slow on a file). */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (chunk: string) => void) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
