import { z } from 'zod';
import { request } from './define';
import { sampleId } from './schemas';
import type { WindowLevel } from '../window-level';

/** The window/level a DICOM sample is shown with, and the windows its file offers. */
export interface SampleWindowInfo {
  /** False for an ordinary image: there is no window to adjust. */
  dicom: boolean;
  /** The window its display copy is rendered with under the project's setting; null when shown as stored. */
  current: WindowLevel | null;
  /** The file's Window Center/Width pairs, in order, with their explanations (e.g. "LUNG", "BONE"). */
  offered: (WindowLevel & { explanation?: string })[];
}

export const dicomRequests = {
  getSampleWindow: request(z.object({ id: sampleId }).strict(), 'The window/level a DICOM sample is shown with and the windows its file offers.').returns<SampleWindowInfo>(),
};
