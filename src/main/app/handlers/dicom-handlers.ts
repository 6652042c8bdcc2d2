import type { dicomRequests } from '../../../shared/contract/dicom-requests';
import type { DicomWindow } from '../../stages/import/dicom/parse';
import { renderDicomSample } from '../../stages/import/dicom/render';
import { readSettings } from '../../store/settings';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function dicomHandlers(session: Session): HandlersFor<typeof dicomRequests> {
  return {
    getSampleWindow: async ({ id }) => {
      const db = session.project.db;
      const row = db.prepare('SELECT file_path, frame, windows FROM dicom_frames WHERE sample_id = ?').get(id) as { file_path: string; frame: number; windows: string } | undefined;
      if (!row) return { dicom: false, current: null, offered: [] };
      // Decoding the frame is the one way to know a percentile window; it is what the display copy does too.
      const rendered = await renderDicomSample(row.file_path, row.frame, readSettings(db).window);
      return { dicom: true, current: rendered.window, offered: JSON.parse(row.windows) as DicomWindow[] };
    },
  };
}
