import type { WindowLevel } from '../../shared/window-level';
import type { Db } from './database';

/** A window a DICOM file offers: its Window Center/Width with the file's explanation (e.g. "LUNG"). */
export type OfferedWindow = WindowLevel & { explanation?: string };

/** What the project keeps of one DICOM frame (a sample): file, frame, UIDs and the windows the file offers. */
export interface DicomFrameToStore {
  file: string;
  /** 1-based, as DICOM numbers frames. */
  frame: number;
  frames: number;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  modality: string;
  photometric: string;
  transferSyntaxUid: string;
  /** Every window the file offers, so Annotate can offer the others. */
  windows: OfferedWindow[];
  /** Only when the project keeps patient attributes; otherwise never read into memory past the parser. */
  identifying: Record<string, string> | null;
}

/**
 * Records which file and frame a sample is, its UIDs, and the window its
 * thumbnail was rendered with (`thumbnailWindow`, a windowSettingKey).
 * `identifying` is null unless the project keeps patient attributes. The
 * statement is prepared once per import, not once per frame.
 */
export function dicomFrameWriter(db: Db, thumbnailWindow: string): (sampleId: number, record: DicomFrameToStore) => void {
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
  /** 1-based. */
  frame: number;
  /** The windows the file offers, in the file's order. */
  windows: OfferedWindow[];
}

/** The DICOM file and frame behind a sample with the windows its file offers, or null for an ordinary image. */
export function dicomFrameOf(db: Db, sampleId: number): StoredDicomFrame | null {
  const row = db.prepare('SELECT file_path AS file, frame, windows FROM dicom_frames WHERE sample_id = ?').get(sampleId) as
    | { file: string; frame: number; windows: string }
    | undefined;
  return row ? { file: row.file, frame: row.frame, windows: JSON.parse(row.windows) as OfferedWindow[] } : null;
}
