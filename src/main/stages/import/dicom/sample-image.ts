import path from 'node:path';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { WindowSetting } from '../../../../shared/window-level';
import { MAX_PIXELS } from '../image-header';
import { IMAGE_EXTENSIONS } from '../scan-folder';
import { renderDicomSample } from './render';
import { fileHasDicomMagic } from './sniff';

const FRAME_SUFFIX = /#frame=(\d+)$/;

/** The file and 1-based frame a sample path names: `scan.dcm#frame=3` for a frame of a multi-frame file. */
export function splitFramePath(samplePath: string): { file: string; frame: number } {
  const match = FRAME_SUFFIX.exec(samplePath);
  return match ? { file: samplePath.slice(0, match.index), frame: Number(match[1]) } : { file: samplePath, frame: 1 };
}

/**
 * A sharp pipeline's input for a sample, wherever its pixels come from: an
 * image file sharp reads itself, or a DICOM frame decoded and windowed
 * here with the project's window, handed to sharp as raw 8-bit pixels.
 * Only files without an image extension are opened to look for the DICOM magic.
 */
export async function openSampleImage(samplePath: string, window: WindowSetting, options: SharpOptions = {}): Promise<Sharp> {
  const { file, frame } = splitFramePath(samplePath);
  const framed = file !== samplePath;
  if (framed || (!IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase()) && (await fileHasDicomMagic(file)))) {
    const rendered = await renderDicomSample(file, frame, window);
    return sharp(rendered.data, { raw: { width: rendered.width, height: rendered.height, channels: rendered.channels } });
  }
  return sharp(samplePath, { limitInputPixels: MAX_PIXELS, ...options });
}
