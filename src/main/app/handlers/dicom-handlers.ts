import type { dicomRequests } from '../../../shared/contract/dicom-requests';
import { renderDicomSample } from '../../stages/import/dicom/render';
import { dicomFrameOf } from '../../store/dicom-frames';
import { readSettings } from '../../store/settings';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function dicomHandlers(session: Session): HandlersFor<typeof dicomRequests> {
  return {
    getSampleWindow: async ({ id }) => {
      const db = session.project.db;
      const frame = dicomFrameOf(db, id);
      if (!frame) return { dicom: false, current: null, offered: [] };
      // Decoding the frame is the one way to know a percentile window; it is what the display copy does too.
      const rendered = await renderDicomSample(frame.file, frame.frame, readSettings(db).window);
      return { dicom: true, current: rendered.window, offered: frame.windows };
    },
  };
}
