import type { Db } from '../../../store/database';
import type { DicomFrameRecord } from './read-dicom';

/**
 * Records which file and frame a sample is, its UIDs, and the window its
 * thumbnail was rendered with (`thumbnailWindow`, a windowSettingKey).
 * `identifying` is null unless the project keeps patient attributes. The
 * statement is prepared once per import, not once per frame.
 */
export function dicomFrameWriter(db: Db, thumbnailWindow: string): (sampleId: number, record: DicomFrameRecord) => void {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO dicom_frames
       (sample_id, file_path, frame, frame_count, study_uid, series_uid, sop_uid, modality, photometric, transfer_syntax, windows, identifying, thumbnail_window)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (sampleId, record) => insert.run(
    sampleId,
    record.file,
    record.frame,
    record.frames,
    record.studyUid,
    record.seriesUid,
    record.sopUid,
    record.modality,
    record.photometric,
    record.transferSyntaxUid,
    JSON.stringify(record.windows),
    record.identifying ? JSON.stringify(record.identifying) : null,
    thumbnailWindow,
  );
}

export interface StoredDicomFrame {
  file: string;
  frame: number;
}

/** The DICOM file and frame behind a sample, or null for an ordinary image. */
export function dicomFrameOf(db: Db, sampleId: number): StoredDicomFrame | null {
  const row = db.prepare('SELECT file_path AS file, frame FROM dicom_frames WHERE sample_id = ?').get(sampleId) as StoredDicomFrame | undefined;
  return row ?? null;
}
