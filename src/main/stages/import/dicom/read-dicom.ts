import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { WindowSetting } from '../../../../shared/window-level';
import { MAX_PIXELS } from '../image-header';
import { ImageRejected } from '../image-rejected';
import { THUMBNAIL_SIZE, type Thumbnail } from '../thumbnail';
import { identifyingAttributesOf, parseDicom } from './parse';
import { renderThumbnailPixels } from './render';
import type { RawPixels } from './thumbnail-pixels';
import type { DicomFrameToStore } from '../../../store/dicom-frames';
import type { ImportedImage } from '../../../store/imported-samples';

/** What the project keeps of a DICOM frame besides the sample row: the store's record (how to find it again, the UIDs that trace a label back). */
export type DicomFrameRecord = DicomFrameToStore;

/** A DICOM frame as import stores it: an image whose frame row is always present. */
export type DicomFrameImage = ImportedImage & { dicom: DicomFrameRecord };

export interface ReadDicomOptions {
  window: WindowSetting;
  keepPatientAttributes: boolean;
}

/**
 * Every frame of a DICOM file as its own sample. A single-frame file keeps
 * its path; frame N of a multi-frame file is `path#frame=N`, with the file's
 * hash and the frame number hashed together as its content hash, so it is
 * recognised at another site however the file is named there.
 */
export async function readDicomFile(file: string, bytes: Buffer, fileHash: string, options: ReadDicomOptions): Promise<DicomFrameImage[]> {
  const image = parseDicom(bytes);
  if (image.rows * image.columns > MAX_PIXELS) {
    throw new ImageRejected(`too large: ${image.columns}×${image.rows} pixels exceeds the ${MAX_PIXELS / 1e6} megapixel limit`);
  }
  const identifying = options.keepPatientAttributes ? identifyingAttributesOf(image) : null;
  const out: DicomFrameImage[] = [];
  for (let index = 0; index < image.frames; index++) {
    const frame = index + 1;
    out.push({
      path: image.frames === 1 ? file : `${file}#frame=${frame}`,
      contentHash: image.frames === 1 ? fileHash : frameHash(fileHash, frame),
      width: image.columns,
      height: image.rows,
      channels: image.samplesPerPixel,
      bitDepth: image.bitsAllocated,
      format: 'dicom',
      thumbnail: await frameThumbnail(await renderThumbnailPixels(image, index, options.window)),
      dicom: {
        file,
        frame,
        frames: image.frames,
        studyUid: image.studyUid,
        seriesUid: image.seriesUid,
        sopUid: image.sopUid,
        modality: image.modality,
        photometric: image.photometric,
        transferSyntaxUid: image.transferSyntaxUid,
        windows: image.windows,
        identifying,
      },
    });
  }
  return out;
}

export function frameHash(fileHash: string, frame: number): string {
  return createHash('sha256').update(`${fileHash}#frame=${frame}`).digest('hex');
}

/** A JPEG thumbnail of pixels already windowed (and mostly shrunk): sharp's part is the last resize, if any, and the encoding. */
export async function frameThumbnail(pixels: RawPixels): Promise<Thumbnail> {
  const { data, info } = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, mime: 'image/jpeg', data };
}
