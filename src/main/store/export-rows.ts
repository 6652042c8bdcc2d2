import type { AnnotationSource, SampleStatus, StrategyName } from '../../shared/domain';
import type { Db } from './database';

/** One sample as an export writes it: the sample, its current label, and its DICOM origin. */
export interface ExportRow {
  id: number;
  path: string;
  content_hash: string;
  status: SampleStatus;
  angle: number | null;
  source: AnnotationSource | null;
  author: string | null;
  created_at: string | null;
  queue_rank: number | null;
  strategy: StrategyName | null;
  width: number;
  height: number;
  frame: number | null;
  study_uid: string | null;
  series_uid: string | null;
  sop_uid: string | null;
  identifying: string | null;
}

/** DICOM UIDs and frame trace every row back to its image; patient attributes come along only when the project keeps them. */
const ROWS_SQL = `
  SELECT s.id, s.path, s.content_hash, s.status, s.width, s.height, l.angle, l.source, l.author, l.created_at, l.queue_rank, l.strategy,
         d.frame, d.study_uid, d.series_uid, d.sop_uid, d.identifying
  FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id LEFT JOIN dicom_frames d ON d.sample_id = s.id
  ORDER BY s.id`;

/** Every sample with its current label and DICOM origin, ascending id, streamed from one query. */
export function exportRows(db: Db): IterableIterator<ExportRow> {
  return db.prepare(ROWS_SQL).iterate() as IterableIterator<ExportRow>;
}
