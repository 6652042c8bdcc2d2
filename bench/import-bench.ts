import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { importFolder } from '../src/main/stages/import/import-folder';
import { mapInOrder } from '../src/main/stages/import/map-in-order';
import { hashBytes, readBytes, readHeader } from '../src/main/stages/import/read-image';
import { makeThumbnail } from '../src/main/stages/import/thumbnail';
import { withoutVipsCache } from '../src/main/stages/import/without-vips-cache';
import { Project } from '../src/main/store/project';
import { benchDicom } from './dicom-import';

const TARGET = 300;
/** Files kept in flight by each stage of the breakdown, as the import does. */
const IN_FLIGHT = 8;

/**
 * Images per second importing 2,000 generated 512×512 JPEGs with thumbnails
 * (issue: ≥ 300 images/s on 2 cores), then 1,000 16-bit DICOM files (≥ 200/s).
 * `npm run bench -- import dicom [N]` runs the DICOM part alone.
 */
export async function run(args: string[]): Promise<void> {
  const dicomOnly = args[0] === 'dicom';
  const count = Number((dicomOnly ? args[1] : args[0]) ?? (dicomOnly ? 1000 : 2000));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-import-'));
  try {
    if (dicomOnly) {
      await benchDicom(dir, count, null);
      return;
    }
    const images = path.join(dir, 'images');
    fs.mkdirSync(images);
    console.log(`generating ${count} 512×512 JPEGs in ${images} …`);
    const files = await writeJpegs(images, count);

    const project = Project.create(path.join(dir, 'bench.farpoint'));
    const loadBefore = os.loadavg();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await importFolder(project.db, images);
    const seconds = (performance.now() - started) / 1000;
    // process.cpuUsage counts every thread of the process: sharp's and libuv's as well as the main one.
    const cpu = process.cpuUsage(cpuBefore);
    const loadAfter = os.loadavg();
    const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / summary.imported;
    project.close();
    const rate = summary.imported / seconds;
    console.log(`import: ${summary.imported} images (512×512 JPEG, 128 px thumbnails, SHA-256) in ${seconds.toFixed(2)} s`);
    // CPU time per image tells what the import costs when other programs compete for the cores.
    console.log(`import: ${cpuMsPerImage.toFixed(2)} ms CPU per image (all threads); 2 idle cores could do at most ${((2 * 1000) / cpuMsPerImage).toFixed(0)} images/s`);
    console.log(`import: ${rate.toFixed(0)} images/s on ${os.availableParallelism()} cores (target ≥ ${TARGET} images/s): ${rate >= TARGET ? 'MET' : 'NOT MET'}`);
    const cores = os.availableParallelism();
    const busy = Math.max(loadBefore[0]!, loadAfter[0]!) > cores;
    console.log(
      `load average (1 min) ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after, on ${cores} cores: ${busy ? 'other programs were competing for the cores, so images/s is low and CPU per image inflated' : 'the machine was quiet'}`,
    );

    // The same conditions as the import: libvips's operation cache off.
    await withoutVipsCache(() => printStageBreakdown(files.slice(0, Math.min(files.length, 500)), cpuMsPerImage));

    await benchDicom(dir, Math.min(count, 1000), rate);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * CPU per image of each step of reading one file, each timed on its own
 * over the same files; what the import costs beyond their sum is the
 * folder scan, the SQLite writes and the scheduling between them.
 */
async function printStageBreakdown(files: string[], importMsPerImage: number): Promise<void> {
  const bytes = new Map<string, Buffer>();
  const headers = new Map<string, Awaited<ReturnType<typeof readHeader>>>();
  const stages: [string, (file: string) => Promise<unknown>][] = [
    ['read file', async (file) => bytes.set(file, await readBytes(file))],
    ['SHA-256', async (file) => hashBytes(bytes.get(file)!)],
    ['header (size, format, orientation)', async (file) => headers.set(file, await readHeader(bytes.get(file)!))],
    ['thumbnail (scaled decode, orient, encode)', (file) => makeThumbnail(file, bytes.get(file)!, headers.get(file)!)],
  ];
  console.log(`per stage, ms CPU per image (each stage timed alone over ${files.length} of the files):`);
  let sum = 0;
  for (const [name, stage] of stages) {
    const before = process.cpuUsage();
    for await (const _ of mapInOrder(files, IN_FLIGHT, stage));
    const cpu = process.cpuUsage(before);
    const ms = (cpu.user + cpu.system) / 1000 / files.length;
    sum += ms;
    console.log(`  ${name.padEnd(46)} ${ms.toFixed(2)}`);
  }
  console.log(`  ${'rest: folder scan, SQLite writes, scheduling'.padEnd(46)} ${(importMsPerImage - sum).toFixed(2)} (the import's figure minus the stages)`);
}

/** Photograph-like content (smooth shading, a few objects, sensor noise), distinct per file. */
async function writeJpegs(folder: string, count: number): Promise<string[]> {
  const base = Buffer.alloc(512 * 512 * 3);
  for (let y = 0; y < 512; y++) {
    for (let x = 0; x < 512; x++) {
      const o = (y * 512 + x) * 3;
      base[o] = 60 + ((x + y) >> 3);
      base[o + 1] = 80 + (x >> 2);
      base[o + 2] = 90 + (y >> 2);
    }
  }
  const files = Array.from({ length: count }, (_, n) => path.join(folder, `img-${String(n).padStart(5, '0')}.jpg`));
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      files.slice(i, i + 50).map(async (file, k) => {
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
        await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } }).jpeg({ quality: 85 }).toFile(file);
      }),
    );
  }
  return files;
}
