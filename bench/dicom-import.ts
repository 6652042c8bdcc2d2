import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DicomImage } from '../src/main/stages/import/dicom/parse';
import { parseDicom } from '../src/main/stages/import/dicom/parse';
import { decodeFrame, type FrameValues } from '../src/main/stages/import/dicom/decode-frame';
import { frameThumbnail } from '../src/main/stages/import/dicom/read-dicom';
import { thumbnailShrink, windowedThumbnailPixels, type RawPixels } from '../src/main/stages/import/dicom/thumbnail-pixels';
import { chooseWindow } from '../src/main/stages/import/dicom/window';
import { importFolder } from '../src/main/stages/import/import-folder';
import { mapInOrder } from '../src/main/stages/import/map-in-order';
import { hashBytes, readBytes } from '../src/main/stages/import/read-image';
import { ReadPool, readThreadsFor } from '../src/main/stages/import/read-pool';
import { withoutVipsCache } from '../src/main/stages/import/without-vips-cache';
import { Project } from '../src/main/store/project';
import { runningFromSource } from '../src/main/core/runtime/paths';
import type { WindowLevel } from '../src/shared/window-level';
import { littleEndian, SYNTAX, writeDicom } from '../test/helpers/dicom-writer';

const DICOM_TARGET = 200;
/** Files kept in flight by each stage of the breakdown, as the import does. */
const IN_FLIGHT = 8;

/**
 * DICOM beside JPEG: 512×512 16-bit CT-like images (explicit VR little
 * endian, 12 bits stored, rescale intercept, no window tags, so each gets
 * the percentile window, the costlier path), imported with thumbnails into
 * a fresh project; then the CPU of each step of reading one file.
 */
export async function benchDicom(dir: string, count: number, jpegRate: number | null): Promise<void> {
  const folder = path.join(dir, 'dicom');
  fs.mkdirSync(folder);
  console.log(`generating ${count} 512×512 16-bit DICOM files in ${folder} …`);
  const files = writeCtFiles(folder, count);
  const project = Project.create(path.join(dir, 'bench-dicom.farpoint'));
  const loadBefore = os.loadavg()[0]!;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await importFolder(project.db, folder);
  const seconds = (performance.now() - started) / 1000;
  // Every thread of the process: the reading threads', sharp's and libuv's as well as this one.
  const cpu = process.cpuUsage(cpuBefore);
  const loadAfter = os.loadavg()[0]!;
  project.close();
  const rate = summary.imported / seconds;
  const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / summary.imported;
  const cores = os.availableParallelism();
  const threads = readThreadsFor(count);
  console.log(`dicom: ${summary.imported} images (512×512 16-bit, percentile window, 128 px thumbnails, SHA-256) in ${seconds.toFixed(2)} s on ${threads} reading threads`);
  console.log(`dicom: ${cpuMsPerImage.toFixed(2)} ms CPU per image (all threads, starting the reading threads included); 2 idle cores could do at most ${((2 * 1000) / cpuMsPerImage).toFixed(0)} images/s`);
  console.log(
    `dicom: ${rate.toFixed(0)} images/s${jpegRate === null ? '' : ` beside JPEG's ${jpegRate.toFixed(0)} images/s`} on ${cores} cores (target ≥ ${DICOM_TARGET} images/s): ${rate >= DICOM_TARGET ? 'MET' : 'NOT MET'}`,
  );
  const busy = Math.max(loadBefore, loadAfter) > cores;
  console.log(
    `load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cores} cores: ${busy ? 'other programs were competing for the cores, so images/s is low and CPU per image inflated' : 'the machine was quiet'}`,
  );
  await compareThreads(dir, folder, threads === 0 ? 2 : 0);
  await withoutVipsCache(() => printDicomBreakdown(files.slice(0, Math.min(files.length, 300)), cpuMsPerImage, threads, summary.imported));
}

/** The same import with the other choice of reading threads, into a fresh project: what the default chose against. */
async function compareThreads(dir: string, folder: string, threads: number): Promise<void> {
  const project = Project.create(path.join(dir, `bench-dicom-${threads}-threads.farpoint`));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await importFolder(project.db, folder, { threads });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  project.close();
  const cpuMs = (cpu.user + cpu.system) / 1000 / summary.imported;
  console.log(`dicom, ${threads} reading threads instead: ${(summary.imported / seconds).toFixed(0)} images/s, ${cpuMs.toFixed(2)} ms CPU per image (starting the threads included); load average now ${os.loadavg()[0]!.toFixed(2)}`);
}

/** CPU per image of each step, each timed alone on this thread over the same files, and of starting the reading threads. */
async function printDicomBreakdown(files: string[], importMsPerImage: number, threads: number, imported: number): Promise<void> {
  const bytes = new Map<string, Buffer>();
  const images = new Map<string, DicomImage>();
  const values = new Map<string, FrameValues>();
  const windows = new Map<string, WindowLevel | null>();
  const pixels = new Map<string, RawPixels>();
  const stages: [string, (file: string) => unknown][] = [
    ['read file', async (file) => bytes.set(file, await readBytes(file))],
    ['SHA-256', (file) => hashBytes(bytes.get(file)!)],
    ['parse (dicom-parser)', (file) => images.set(file, parseDicom(bytes.get(file)!))],
    ['decode frame (values, bits stored)', async (file) => values.set(file, await decodeFrame(images.get(file)!, 0))],
    ['percentile window (histogram)', (file) => windows.set(file, chooseWindow(images.get(file)!, values.get(file)!, { mode: 'auto', fileWindow: 0 }))],
    ['window and shrink to 128 px in one pass', (file) => {
      const image = images.get(file)!;
      pixels.set(file, windowedThumbnailPixels(values.get(file)!, image, windows.get(file)!, thumbnailShrink(image.columns, image.rows)));
    }],
    ['JPEG thumbnail (sharp)', (file) => frameThumbnail(pixels.get(file)!)],
  ];
  console.log(`dicom per stage, ms CPU per image (each stage timed alone on one thread over ${files.length} of the files):`);
  let sum = 0;
  for (const [name, stage] of stages) {
    const before = process.cpuUsage();
    for await (const _ of mapInOrder(files, IN_FLIGHT, async (file) => stage(file)));
    const cpu = process.cpuUsage(before);
    const ms = (cpu.user + cpu.system) / 1000 / files.length;
    sum += ms;
    console.log(`  ${name.padEnd(46)} ${ms.toFixed(2)}`);
  }
  if (threads > 0) {
    const before = process.cpuUsage();
    const pool = new ReadPool(threads);
    await Promise.all(Array.from({ length: threads }, () => pool.run('samples', { file: files[0]!, limits: { maxFileBytes: 1 << 30, wholeReadBytes: 1 << 25 }, dicom: { window: { mode: 'auto', fileWindow: 0 }, keepPatientAttributes: false } })));
    await pool.close();
    const cpu = process.cpuUsage(before);
    const ms = (cpu.user + cpu.system) / 1000;
    sum += ms / imported;
    console.log(`  ${`starting ${threads} reading threads (${ms.toFixed(0)} ms in all${runningFromSource ? ', from TypeScript sources here' : ''})`.padEnd(46)} ${(ms / imported).toFixed(2)}`);
  }
  const rest = importMsPerImage - sum;
  // Stages timed alone on a loaded machine can add up to more than the import took: say so rather than print a negative cost.
  console.log(
    `  ${'rest: scan, SQLite writes, messages between threads'.padEnd(46)} ${rest >= 0 ? `${rest.toFixed(2)} (the import's figure minus the stages)` : `— (the stages timed alone sum to ${sum.toFixed(2)}, more than the import's ${importMsPerImage.toFixed(2)}: timings inflated by the load)`}`,
  );
}

/** Distinct CT-like frames: a disc of tissue values with texture and noise in air, 12 bits stored, intercept -1024. */
function writeCtFiles(folder: string, count: number): string[] {
  const base = new Uint16Array(512 * 512);
  for (let y = 0; y < 512; y++) for (let x = 0; x < 512; x++) base[y * 512 + x] = (x - 256) ** 2 + (y - 256) ** 2 < 200 ** 2 ? 1024 + ((x * 3 + y) % 400) : 24;
  const files: string[] = [];
  for (let n = 0; n < count; n++) {
    const values = new Uint16Array(base);
    let noise = (n + 1) * 2654435761;
    for (let i = 0; i < values.length; i++) {
      noise = (noise * 1103515245 + 12345) >>> 0;
      values[i] = values[i]! + ((noise >>> 26) & 31);
    }
    const image = { rows: 512, columns: 512, bitsAllocated: 16 as const, bitsStored: 12, intercept: -1024, slope: 1, sopUid: `1.2.826.0.1.3680043.8.498.${n + 1}` };
    const file = path.join(folder, `ct-${String(n).padStart(5, '0')}.dcm`);
    fs.writeFileSync(file, writeDicom(SYNTAX.explicit, image, { native: littleEndian(values) }));
    files.push(file);
  }
  return files;
}
