import { DEFAULT_WINDOW_SETTING } from '../../../../shared/window-level';
import { openSampleImage } from '../../import/dicom/sample-image';
import { FarpointError, messageOf } from '../../../core/errors';

/** Images decoded once and kept as one contiguous array the regressor slices batches from. */
export interface PixelSet {
  size: number;
  channels: 1 | 3;
  count: number;
  /** count × size × size × channels, values 0..1, row-major (NHWC). */
  pixels: Float32Array;
}

/**
 * Decodes every file with sharp, applies EXIF orientation (as the import
 * does), and scales it to size × size, letterboxed so an object's shape and
 * so its angle are not distorted. Files are read a few at a time (sharp uses
 * libuv's thread pool). A file that cannot be read is an error naming it:
 * silently dropping it would change the test set.
 */
export async function loadPixels(files: readonly string[], size: number, channels: 1 | 3, onProgress?: (done: number) => void): Promise<PixelSet> {
  const stride = size * size * channels;
  const pixels = new Float32Array(files.length * stride);
  const chunk = 16;
  for (let start = 0; start < files.length; start += chunk) {
    await Promise.all(
      files.slice(start, start + chunk).map(async (file, k) => {
        let data: Buffer;
        try {
          let image = (await openSampleImage(file, DEFAULT_WINDOW_SETTING, { failOn: 'error' })).rotate().resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 1 } }).removeAlpha();
          image = channels === 1 ? image.greyscale() : image.toColourspace('srgb');
          data = await image.raw().toBuffer();
        } catch (err) {
          throw new FarpointError(`cannot read image ${file} for the orientation model: ${messageOf(err).split('\n')[0]}`);
        }
        if (data.length !== stride) throw new FarpointError(`image ${file} decoded to ${data.length} values, expected ${stride}`);
        const offset = (start + k) * stride;
        for (let i = 0; i < stride; i++) pixels[offset + i] = data[i]! / 255;
      }),
    );
    onProgress?.(Math.min(start + chunk, files.length));
  }
  return { size, channels, count: files.length, pixels };
}
