import fs from 'node:fs';
import type { WindowSetting } from '../../shared/window-level';
import { FarpointError, messageOf } from '../core/errors';
import { openSampleImage, splitFramePath } from '../stages/import/dicom/sample-image';
import type { Project } from '../store/project';
import { samplePath, thumbnailOf } from '../store/samples';
import { readSettings } from '../store/settings';
import { readWithDeadline } from './file-read-deadline';

export interface MediaBody {
  mime: string;
  data: Buffer;
}

export type MediaKind = 'thumb' | 'image';

/**
 * Images for the UI, by sample id only: a front end can never name a file
 * path, so it can read nothing but the open project's samples.
 */
export async function mediaFor(project: Project, kind: MediaKind, id: number, maxSize = 1024, deadlineMs?: number): Promise<MediaBody> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new FarpointError(`invalid sample id: ${String(id).slice(0, 40)}`, 400);
  if (kind === 'thumb') return thumbnailOf(project.db, id);
  const file = samplePath(project.db, id);
  const size = Math.max(64, Math.min(4096, Math.round(maxSize)));
  // A DICOM sample is rendered with the project's window: a read for another window is another read.
  const window = readSettings(project.db).window;
  return readWithDeadline(file, `${file}\0${size}\0${JSON.stringify(window)}`, () => displayCopy(file, id, size, window), deadlineMs);
}

/** Browsers cannot show TIFF or 16-bit PNG: the display copy is always an 8-bit JPEG, orientation applied. */
async function displayCopy(file: string, id: number, size: number, window: WindowSetting): Promise<MediaBody> {
  // stat never opens the file: a FIFO or device standing where the image was is refused before anything waits on it.
  // A frame of a multi-frame DICOM file (`scan.dcm#frame=3`) is checked as its file.
  const stat = await fs.promises.stat(splitFramePath(file).file).catch((err: unknown) => {
    throw new FarpointError(`cannot read image of sample ${id} (${file}): ${messageOf(err).split('\n')[0]}`, 404);
  });
  if (!stat.isFile()) throw new FarpointError(`cannot read image of sample ${id} (${file}): ${kindOf(stat)}, not a regular file`, 415);
  try {
    const data = await (await openSampleImage(file, window, { failOn: 'none' }))
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 90 })
      .toBuffer();
    return { mime: 'image/jpeg', data };
  } catch (err) {
    throw new FarpointError(`cannot read image of sample ${id} (${file}): ${messageOf(err).split('\n')[0]}`, 404);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}
