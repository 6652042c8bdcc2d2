import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * `count` PNGs that are distinct by construction: the index is written as
 * 16 black-or-white blocks along the top row over a gradient (the shared
 * writeDistinctPng repeats itself after 1,400 seeds at 64 px, which made
 * 600 of 2,000 files exact duplicates).
 */
export async function writeNumberedImages(dir: string, count: number, size = 64): Promise<string[]> {
  if (count > 65_536) throw new Error(`at most 65536 numbered images, asked for ${count}`);
  fs.mkdirSync(dir, { recursive: true });
  const block = Math.max(2, Math.floor(size / 16));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.alloc(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = 40 + ((x * 3 + y * 5 + i) % 160);
    for (let bit = 0; bit < 16; bit++) {
      const value = (i >> bit) & 1 ? 255 : 0;
      for (let y = 0; y < block; y++) pixels.fill(value, y * size + bit * block, y * size + (bit + 1) * block);
    }
    const file = path.join(dir, `img-${String(i).padStart(5, '0')}.png`);
    await sharp(pixels, { raw: { width: size, height: size, channels: 1 } }).png().toFile(file);
    files.push(file);
  }
  return files;
}
