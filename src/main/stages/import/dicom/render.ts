import fs from 'node:fs/promises';
import type { WindowLevel, WindowSetting } from '../../../../shared/window-level';
import { FarpointError, messageOf } from '../../../core/errors';
import { decodeFrame } from './decode-frame';
import { parseDicom, type DicomImage } from './parse';
import { chooseWindow, windowToBytes } from './window';
import { thumbnailShrink, windowedThumbnailPixels, type RawPixels } from './thumbnail-pixels';

/** One frame as 8-bit pixels, ready for sharp's raw input: gray (1 channel) or RGB (3). */
export interface RenderedFrame {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
  /** The window it was rendered with; null when shown as stored (8-bit, or colour). */
  window: WindowLevel | null;
}

export async function renderFrame(image: DicomImage, index: number, setting: WindowSetting): Promise<RenderedFrame> {
  const values = await decodeFrame(image, index);
  const window = chooseWindow(image, values, setting);
  const data = image.samplesPerPixel === 3 ? (values as Uint8Array) : windowToBytes(values, image, window);
  return { data, width: image.columns, height: image.rows, channels: image.samplesPerPixel, window };
}

/**
 * One frame windowed and shrunk for its thumbnail, never windowed at full
 * size: the import's and the window re-render's path. Colour is shown as stored.
 */
export async function renderThumbnailPixels(image: DicomImage, index: number, setting: WindowSetting): Promise<RawPixels> {
  const values = await decodeFrame(image, index);
  const window = image.samplesPerPixel === 3 ? null : chooseWindow(image, values, setting);
  return windowedThumbnailPixels(values, image, window, thumbnailShrink(image.columns, image.rows));
}

/**
 * A stored sample's frame, from its file (frame is 1-based, as DICOM
 * numbers them). For display and training input; throws a FarpointError naming the file.
 */
export async function renderDicomSample(file: string, frame: number, setting: WindowSetting): Promise<RenderedFrame> {
  try {
    const image = parseDicom(await fs.readFile(file));
    if (frame < 1 || frame > image.frames) throw new Error(`frame ${frame} does not exist (the file has ${image.frames})`);
    return await renderFrame(image, frame - 1, setting);
  } catch (err) {
    throw new FarpointError(`cannot decode ${file}: ${messageOf(err).split('\n')[0]}`);
  }
}
