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
    // Photograph-like content (smooth shading, a few objects, sensor noise), distinct per file.
    const base = Buffer.alloc(512 * 512 * 3);
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) {
        const o = (y * 512 + x) * 3;
        base[o] = 60 + ((x + y) >> 3);
        base[o + 1] = 80 + (x >> 2);
        base[o + 2] = 90 + (y >> 2);
      }
    }
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async (_, k) => {
          const n = i + k;
          const pixels = Buffer.from(base);
          let noise = n * 2654435761;
          for (let p = 0; p < pixels.length; p++) {
            noise = (noise * 1103515245 + 12345) >>> 0;
            pixels[p] = Math.min(255, pixels[p]! + ((noise >>> 28) & 3));
          }
          for (let b = 0; b < 3; b++) {
            const x = (n * 37 + b * 151) % 400;
            const y = (n * 53 + b * 97) % 400;
            for (let r = y; r < y + 64 + b * 16; r++) pixels.fill(200 - b * 60, (r * 512 + x) * 3, (r * 512 + x + 48 + b * 8) * 3);
          }
          await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } }).jpeg({ quality: 85 }).toFile(path.join(images, `img-${String(n).padStart(5, '0')}.jpg`));
        }),
      );
    }
    const project = Project.create(path.join(dir, 'bench.farpoint'));
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await importFolder(project.db, images);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / summary.imported;
    project.close();
    const rate = summary.imported / seconds;
    console.log(`import: ${summary.imported} images (512×512 JPEG, 128 px thumbnails, SHA-256) in ${seconds.toFixed(2)} s`);
    // CPU time per image tells what the import costs when other programs compete for the cores.
    console.log(`import: ${cpuMsPerImage.toFixed(2)} ms CPU per image (all threads); 2 idle cores could do at most ${((2 * 1000) / cpuMsPerImage).toFixed(0)} images/s`);
    console.log(`import: ${rate.toFixed(0)} images/s on ${os.availableParallelism()} cores (target ≥ 300 images/s): ${rate >= 300 ? 'MET' : 'NOT MET'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
