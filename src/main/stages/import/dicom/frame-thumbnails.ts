import type { WindowSetting } from '../../../../shared/window-level';
import { messageOf } from '../../../core/errors';
import { ImageRejected } from '../image-rejected';
import { readBytes } from '../read-image';
import type { Thumbnail } from '../thumbnail';
import { parseDicom } from './parse';
import { frameThumbnail } from './read-dicom';
import { renderThumbnailPixels } from './render';

export interface FrameThumbnailsTask {
  file: string;
  /** 1-based frame numbers. */
  frames: number[];
  window: WindowSetting;
  maxFileBytes: number;
}

/** The thumbnails of the frames asked for, in their order, or why the file could not give them. */
export type FrameThumbnails = { thumbnails: Thumbnail[] } | { reason: string };

/**
 * Thumbnails of some frames of one DICOM file rendered with `window`, the
 * file read and parsed once for all of them: what a change of the project's
 * window needs for samples imported earlier.
 */
export async function renderFrameThumbnails(task: FrameThumbnailsTask): Promise<FrameThumbnails> {
  try {
    const image = parseDicom(await readBytes(task.file, task.maxFileBytes));
    const thumbnails: Thumbnail[] = [];
    for (const frame of task.frames) {
      if (frame < 1 || frame > image.frames) throw new ImageRejected(`frame ${frame} does not exist (the file has ${image.frames} now)`);
      thumbnails.push(await frameThumbnail(await renderThumbnailPixels(image, frame - 1, task.window)));
    }
    return { thumbnails };
  } catch (err) {
    return { reason: err instanceof ImageRejected ? err.message : `failed: ${messageOf(err).split('\n')[0]}` };
  }
}
