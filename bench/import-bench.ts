import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { importFolder } from '../src/main/import/import-folder';
import { Project } from '../src/main/project/project';

/** Images per second importing 2,000 generated 512×512 JPEGs with thumbnails (issue: ≥ 300 images/s on 2 cores). */
export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 2000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-import-'));
  try {
    const images = path.join(dir, 'images');
    fs.mkdirSync(images);
    console.log(`generating ${count} 512×512 JPEGs in ${images} …`);
    const base = await sharp({ create: { width: 512, height: 512, channels: 3, background: '#808080' } }).raw().toBuffer();
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async (_, k) => {
          const n = i + k;
          const pixels = Buffer.from(base);
          // Distinct content per file: a moving bright block plus per-file noise, so every hash differs.
          for (let p = 0; p < pixels.length; p += 97) pixels[p] = (p * 31 + n * 17) & 0xff;
          pixels.writeUInt32LE(n, 0);
          pixels.writeUInt32LE(n * 2654435761 >>> 0, 4096);
          const x = (n * 37) % 448;
          for (let y = 64; y < 128; y++) pixels.fill(250, (y * 512 + x) * 3, (y * 512 + x + 64) * 3);
          await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } }).jpeg({ quality: 85 }).toFile(path.join(images, `img-${String(n).padStart(5, '0')}.jpg`));
        }),
      );
    }
    const project = Project.create(path.join(dir, 'bench.farpoint'));
    const started = performance.now();
    const summary = await importFolder(project.db, images);
    const seconds = (performance.now() - started) / 1000;
    project.close();
    const rate = summary.imported / seconds;
    console.log(`import: ${summary.imported} images (512×512 JPEG, 128 px thumbnails, SHA-256) in ${seconds.toFixed(2)} s`);
    console.log(`import: ${rate.toFixed(0)} images/s on ${os.availableParallelism()} cores (target ≥ 300 images/s): ${rate >= 300 ? 'MET' : 'NOT MET'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
