import type { SkippedFile } from '../../../shared/domain';
import { messageOf } from '../../core/errors';
import type { ReadDicomOptions } from './dicom/read-dicom';
import { ImageRejected, readSamples, type DecodedImage, type ReadLimits } from './read-image';
import type { PixelSpec } from './model-input';

/** One file's outcome: its samples (one per DICOM frame), or why it was skipped. */
export type ReadResult = DecodedImage[] | SkippedFile;

/** Reads one file's samples; a file that cannot be imported becomes its skip reason instead of an error, so one bad file never stops an import. */
export async function readOrReason(file: string, limits: ReadLimits, dicom: ReadDicomOptions, modelSpec: PixelSpec | null = null): Promise<ReadResult> {
  try {
    return await readSamples(file, limits, dicom, modelSpec);
  } catch (err) {
    return { path: file, reason: err instanceof ImageRejected ? err.message : `failed: ${messageOf(err)}` };
  }
}
