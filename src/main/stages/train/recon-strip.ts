import sharp from 'sharp';

/**
 * A PNG (as a data: URL) of originals above their reconstructions, side by
 * side, so the training view shows after each epoch what the model keeps.
 * Inputs are float HWC images in 0..1, `count` of them, each size × size × channels.
 */
export async function reconstructionStrip(originals: Float32Array, reconstructions: Float32Array, count: number, size: number, channels: 1 | 3): Promise<string> {
  const width = size * count;
  const height = size * 2;
  const pixels = Buffer.alloc(width * height * channels);
  const per = size * size * channels;
  const put = (source: Float32Array, image: number, rowOffset: number) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          const v = source[image * per + (y * size + x) * channels + c]!;
          pixels[((rowOffset + y) * width + image * size + x) * channels + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
        }
      }
    }
  };
  for (let i = 0; i < count; i++) {
    put(originals, i, 0);
    put(reconstructions, i, size);
  }
  const png = await sharp(pixels, { raw: { width, height, channels } }).png({ compressionLevel: 6 }).toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
