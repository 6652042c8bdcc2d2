import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** Distinct real images: a gradient with a bright square whose position depends on `seed`. */
export async function writeDistinctPng(file: string, seed: number, size = 32): Promise<void> {
  const pixels = Buffer.alloc(size * size);
  const sx = (seed * 7) % (size - 8);
  const sy = (seed * 13) % (size - 8);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inSquare = x >= sx && x < sx + 8 && y >= sy && y < sy + 8;
      pixels[y * size + x] = inSquare ? 250 : (x * 3 + y * 5 + seed * 11) % 200;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(pixels, { raw: { width: size, height: size, channels: 1 } }).png().toFile(file);
}

/** Writes `count` distinct PNGs into a folder and returns their paths. */
export async function writeImageFolder(dir: string, count: number, size = 32): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `img-${String(i).padStart(4, '0')}.png`);
    await writeDistinctPng(file, i + 1, size);
    files.push(file);
  }
  return files;
}
