import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { parseJpegHeader } from '../../src/main/stages/import/jpeg-header';
import { parsePngHeader } from '../../src/main/stages/import/png-header';
import { readHeader, readHeaderWithSharp } from '../../src/main/stages/import/image-header';
import { DEFAULT_READ_LIMITS, ImageRejected, readImage, type ReadLimits } from '../../src/main/stages/import/read-image';
import { jpegDecodeScale } from '../../src/main/stages/import/thumbnail';
import { withoutVipsCache } from '../../src/main/stages/import/without-vips-cache';
import { Project } from '../../src/main/store/project';
import { writeCorpus } from '../helpers/bad-files';
import { writeImageFolder } from '../helpers/images';
import { spawnCli, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

test('import accepts every format and reports every bad file by path and reason', async () => {
  const corpus = await writeCorpus(path.join(dir, 'corpus'));
  const project = Project.create(path.join(dir, 'corpus.farpoint'));
  const summary = await importFolder(project.db, corpus.dir);

  const stored = new Map(
    (project.db.prepare('SELECT path, width, height, channels, bit_depth, format FROM samples').all() as {
      path: string; width: number; height: number; channels: number; bit_depth: number; format: string;
    }[]).map((r) => [r.path, r]),
  );
  for (const [role, file] of Object.entries(corpus.good)) assert.ok(stored.has(file), `${role} (${file}) was not imported`);
  assert.equal(stored.size, Object.keys(corpus.good).length);
  assert.equal(summary.imported, Object.keys(corpus.good).length);

  for (const bad of corpus.bad) {
    const reported = summary.skipped.find((s) => s.path === bad.path);
    assert.ok(reported, `${bad.path} was not reported`);
    assert.match(reported.reason, bad.reason, `${bad.path}: ${reported.reason}`);
  }
  assert.deepEqual(summary.duplicates, [{ path: corpus.duplicate, duplicateOf: corpus.good.original }]);
  assert.equal(summary.ignored, 1);

  const rotated = stored.get(corpus.good.exifRotated!)!;
  assert.deepEqual([rotated.width, rotated.height], [20, 60], 'EXIF orientation applied to the stored size');
  assert.equal(stored.get(corpus.good.gray16!)!.bit_depth, 16);
  assert.match(stored.get(corpus.good.cmyk!)!.format, /cmyk/);
  assert.equal(stored.get(corpus.good.alpha!)!.channels, 4);

  // Every sample has a decodable thumbnail, orientation applied.
  const thumbs = project.db.prepare('SELECT s.path, t.data FROM thumbnails t JOIN samples s ON s.id = t.sample_id').all() as { path: string; data: Buffer }[];
  assert.equal(thumbs.length, stored.size);
  const rotatedThumb = thumbs.find((t) => t.path === corpus.good.exifRotated)!;
  const meta = await sharp(rotatedThumb.data).metadata();
  assert.ok(meta.height! > meta.width!, 'thumbnail is upright');
  project.close();
});

/** A picture with structure at every scale: quadrants of colour, a white square and a diagonal ramp. */
function testPicture(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const square = x > width / 8 && x < width / 4 && y > height / 8 && y < height / 3;
      pixels[o] = square ? 255 : x < width / 2 ? 220 : 30;
      pixels[o + 1] = square ? 255 : ((x + y) * 255) / (width + height);
      pixels[o + 2] = square ? 255 : y < height / 2 ? 40 : 200;
    }
  }
  return pixels;
}

/** Mean absolute difference per channel value between a stored thumbnail and the same fit made from a full decode. */
async function differenceFromFullDecode(thumbnail: Buffer, file: string): Promise<number> {
  const stored = await sharp(thumbnail).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const reference = await sharp(file)
    .rotate()
    .resize(stored.info.width, stored.info.height, { fit: 'fill' })
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  assert.equal(stored.data.length, reference.length);
  let sum = 0;
  for (let i = 0; i < reference.length; i++) sum += Math.abs(stored.data[i]! - reference[i]!);
  return sum / reference.length;
}

test('the JPEG decoder scale keeps at least a full thumbnail on the longest side', () => {
  assert.equal(jpegDecodeScale(512, 512), 4);
  assert.equal(jpegDecodeScale(100, 1024), 8);
  assert.equal(jpegDecodeScale(300, 200), 2);
  assert.equal(jpegDecodeScale(255, 255), 1);
  assert.equal(jpegDecodeScale(100, 60), 1);
});

test('large JPEGs get thumbnails from a scaled decode: same picture, orientation applied, truncation and pixel bombs still rejected', async () => {
  const folder = path.join(dir, 'large-jpegs');
  fs.mkdirSync(folder);
  const file = (name: string) => path.join(folder, name);
  const rgb = (w: number, h: number) => sharp(testPicture(w, h), { raw: { width: w, height: h, channels: 3 } });
  await rgb(1000, 600).jpeg({ quality: 90 }).toFile(file('photo.jpg'));
  // Exactly 4× the thumbnail: decoded at a quarter scale, where sharp alone would decode at half.
  await rgb(512, 512).jpeg({ quality: 90 }).toFile(file('photo-512.jpg'));
  // Stored 640 × 320 with EXIF orientation 6: 320 × 640 once applied.
  await rgb(640, 320).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toFile(file('rotated.jpg'));
  await rgb(800, 800).toColourspace('b-w').jpeg({ quality: 90 }).toFile(file('gray.jpg'));
  await rgb(700, 500).toColourspace('cmyk').jpeg({ quality: 90 }).toFile(file('cmyk.jpg'));
  await rgb(600, 600).jpeg({ quality: 90, progressive: true }).toFile(file('scan[1] progressive.jpg'));
  const whole = fs.readFileSync(file('photo.jpg'));
  fs.writeFileSync(file('truncated.jpg'), whole.subarray(0, Math.floor(whole.length * 0.6)));
  // A JPEG whose frame header claims 20,000 × 20,000 pixels: rejected from the header, never decoded.
  const bomb = Buffer.from(whole);
  const frame = bomb.indexOf(Buffer.from([0xff, 0xc0]));
  bomb.writeUInt16BE(20_000, frame + 5);
  bomb.writeUInt16BE(20_000, frame + 7);
  fs.writeFileSync(file('bomb.jpg'), bomb);

  const project = Project.create(path.join(dir, 'large-jpegs.farpoint'));
  const summary = await importFolder(project.db, folder);
  const reasons = Object.fromEntries(summary.skipped.map((s) => [path.basename(s.path), s.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), ['bomb.jpg', 'truncated.jpg']);
  assert.match(reasons['truncated.jpg']!, /cannot decode/);
  assert.match(reasons['bomb.jpg']!, /too large: 20000×20000 pixels/);
  const rows = project.db
    .prepare('SELECT s.path, s.width, s.height, s.channels, s.format, t.width AS tw, t.height AS th, t.data FROM samples s JOIN thumbnails t ON t.sample_id = s.id')
    .all() as { path: string; width: number; height: number; channels: number; format: string; tw: number; th: number; data: Buffer }[];
  const byName = new Map(rows.map((r) => [path.basename(r.path), r]));
  const expected: Record<string, [number, number, number, number]> = {
    'photo.jpg': [1000, 600, 128, 77],
    'photo-512.jpg': [512, 512, 128, 128],
    'rotated.jpg': [320, 640, 64, 128],
    'gray.jpg': [800, 800, 128, 128],
    'cmyk.jpg': [700, 500, 128, 91],
    'scan[1] progressive.jpg': [600, 600, 128, 128],
  };
  assert.deepEqual([...byName.keys()].sort(), Object.keys(expected).sort());
  for (const [name, [width, height, tw, th]] of Object.entries(expected)) {
    const row = byName.get(name)!;
    assert.deepEqual([row.width, row.height, row.tw, row.th], [width, height, tw, th], name);
    const meta = await sharp(row.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', tw, th], `${name}: stored thumbnail`);
    const difference = await differenceFromFullDecode(row.data, row.path);
    assert.ok(difference < 4, `${name}: thumbnail differs from a full decode by ${difference.toFixed(2)} per value`);
  }
  assert.equal(byName.get('gray.jpg')!.channels, 1);
  assert.equal(byName.get('cmyk.jpg')!.format, 'jpeg/cmyk');
  project.close();
});

/** A JPEG with an EXIF block written by hand in big-endian (Motorola) order, orientation `value`, right after SOI. */
function withBigEndianExif(jpeg: Buffer, value: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(value, 18);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, payload, jpeg.subarray(2)]);
}

test('the JPEG header reader agrees with sharp on size, components and orientation', async () => {
  const picture = (w: number, h: number) => sharp(testPicture(w, h), { raw: { width: w, height: h, channels: 3 } });
  const jpegs: [string, Buffer][] = [
    ['rgb', await picture(300, 200).jpeg().toBuffer()],
    ['progressive', await picture(64, 48).jpeg({ progressive: true }).toBuffer()],
    ['gray', await picture(50, 70).toColourspace('b-w').jpeg().toBuffer()],
    ['cmyk', await picture(40, 30).toColourspace('cmyk').jpeg().toBuffer()],
    ['icc profile', await picture(40, 30).withMetadata().jpeg().toBuffer()],
  ];
  for (let orientation = 1; orientation <= 8; orientation++) {
    jpegs.push([`exif orientation ${orientation}`, await picture(60, 20).jpeg().withMetadata({ orientation }).toBuffer()]);
  }
  jpegs.push(['big-endian exif', withBigEndianExif(await picture(60, 20).jpeg().toBuffer(), 6)]);
  for (const [name, jpeg] of jpegs) {
    const meta = await sharp(jpeg).metadata();
    const header = parseJpegHeader(jpeg);
    assert.ok(header, `${name}: not parsed`);
    assert.deepEqual(header, { width: meta.width, height: meta.height, components: meta.channels, orientation: meta.orientation ?? 1 }, name);
  }
  assert.equal(parseJpegHeader(await picture(8, 8).png().toBuffer()), null, 'a PNG is not a JPEG');
  const rgb = jpegs[0]![1];
  assert.equal(parseJpegHeader(rgb.subarray(0, 20)), null, 'a header cut before its frame is left to sharp');
});

test('the PNG header reader agrees with sharp on every field it answers, and leaves palette, transparency and EXIF to sharp', async () => {
  const raw = (w: number, h: number, channels: 1 | 2 | 3 | 4) => {
    const rgb = testPicture(w, h);
    const bands = Buffer.alloc(w * h * channels);
    for (let p = 0; p < w * h; p++) for (let c = 0; c < channels; c++) bands[p * channels + c] = rgb[p * 3 + (c % 3)]!;
    return sharp(bands, { raw: { width: w, height: h, channels } });
  };
  const deep = new Uint16Array(30 * 20).map((_, i) => i * 97);
  const answered: [string, Buffer][] = [
    ['gray', await raw(37, 21, 1).png().toBuffer()],
    ['gray + alpha', await raw(20, 30, 2).png().toBuffer()],
    ['rgb', await raw(300, 200, 3).png().toBuffer()],
    ['rgba', await raw(64, 48, 4).png().toBuffer()],
    ['16-bit gray', await sharp(Buffer.from(deep.buffer), { raw: { width: 30, height: 20, channels: 1 } }).toColourspace('grey16').png().toBuffer()],
    ['16-bit rgb', await raw(30, 20, 3).toColourspace('rgb16').png().toBuffer()],
    ['icc profile', await raw(40, 30, 3).withIccProfile('p3').png().toBuffer()],
    ['interlaced', await raw(40, 30, 3).png({ progressive: true }).toBuffer()],
  ];
  for (const [name, png] of answered) {
    assert.ok(parsePngHeader(png), `${name}: not parsed`);
    // readHeader takes the parsed header (no sharp call) and turns it into what sharp would have said.
    assert.deepEqual(await readHeader(png), await readHeaderWithSharp(png), name);
  }
  const leftToSharp: [string, Buffer][] = [
    ['palette', await raw(40, 30, 3).png({ palette: true }).toBuffer()],
    ['exif orientation', await raw(40, 30, 3).png().withMetadata({ orientation: 6 }).toBuffer()],
    ['1-bit', await raw(40, 30, 1).png({ colours: 2 }).toBuffer()],
    ['cut in its header', (await raw(40, 30, 3).png().toBuffer()).subarray(0, 30)],
    ['a JPEG', await raw(40, 30, 3).jpeg().toBuffer()],
  ];
  for (const [name, bytes] of leftToSharp) assert.equal(parsePngHeader(bytes), null, name);
});

test('a file too big to hold whole is hashed in chunks and decoded from the file: the same sample as one read whole; an empty or non-image file is refused either way', async () => {
  const dir = tempDir();
  const png = path.join(dir, 'picture.png');
  fs.writeFileSync(png, await sharp(testPicture(90, 60), { raw: { width: 90, height: 60, channels: 3 } }).png().toBuffer());
  const streamed: ReadLimits = { maxFileBytes: DEFAULT_READ_LIMITS.maxFileBytes, wholeReadBytes: 16 };
  const spec = { size: 32, channels: 1 } as const;
  const held = await readImage(png, DEFAULT_READ_LIMITS, spec);
  const fromFile = await readImage(png, streamed, spec);
  assert.deepEqual({ ...fromFile, modelInput: undefined }, { ...held, modelInput: undefined });
  assert.ok(held.modelInput, 'a PNG read whole shares its decode');
  assert.equal(fromFile.modelInput, undefined, 'one decoded from the file does not');
  const empty = path.join(dir, 'empty.png');
  fs.writeFileSync(empty, '');
  const text = path.join(dir, 'notes.png');
  fs.writeFileSync(text, 'not an image at all, but long enough to be streamed');
  for (const limits of [DEFAULT_READ_LIMITS, streamed]) {
    await assert.rejects(readImage(empty, limits), /empty file/);
    await assert.rejects(readImage(text, limits), ImageRejected);
  }
});

test('imports run with the libvips cache off and leave it as they found it, even when two overlap or one fails', async () => {
  const limits = () => {
    const { memory, files, items } = sharp.cache();
    return [memory.max, files.max, items.max];
  };
  const before = limits();
  assert.notDeepEqual(before, [0, 0, 0], 'the cache starts on');
  let release!: () => void;
  const first = withoutVipsCache(() => new Promise<void>((resolve) => (release = resolve)));
  assert.deepEqual(limits(), [0, 0, 0]);
  await assert.rejects(withoutVipsCache(async () => Promise.reject(new Error('a failed import'))));
  assert.deepEqual(limits(), [0, 0, 0], 'still off while the first import runs');
  release();
  await first;
  assert.deepEqual(limits(), before);
});

test('re-running an import adds nothing and reports the files as already present', async () => {
  const images = path.join(dir, 'again');
  await writeImageFolder(images, 12);
  const project = Project.create(path.join(dir, 'again.farpoint'));
  const first = await importFolder(project.db, images);
  const second = await importFolder(project.db, images);
  assert.equal(first.imported, 12);
  assert.equal(second.imported, 0);
  assert.equal(second.alreadyPresent, 12);
  assert.equal((project.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n, 12);
  project.close();
});

test('an import killed with SIGKILL halfway completes on the next run without duplicate rows', async () => {
  const images = path.join(dir, 'killed');
  const count = 400;
  await writeImageFolder(images, count, 96);
  const projectPath = path.join(dir, 'killed.farpoint');
  const child = spawnCli(['import', projectPath, images]);
  // Kill as soon as the first chunk is committed, well before the end. The child runs 20 ms at a time and is stopped
  // while the file is probed, so how fast it imports against how slow a probe is (a loaded machine) cannot let it
  // finish between two probes.
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  for (let i = 0; i < 5000 && running(); i++) {
    child.kill('SIGCONT');
    await new Promise((r) => setTimeout(r, 20));
    if (!running()) break;
    child.kill('SIGSTOP');
    if (!fs.existsSync(projectPath)) continue;
    let n = 0;
    try {
      const probe = Project.open(projectPath, { readonly: true });
      n = (probe.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
      probe.close();
    } catch {
      continue; // The child is still creating the file.
    }
    if (n > 0) break;
  }
  if (running()) child.kill('SIGKILL');
  await exited;
  const partial = Project.open(projectPath);
  const before = (partial.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
  assert.equal(partial.db.pragma('integrity_check', { simple: true }), 'ok');
  partial.close();
  assert.ok(before < count, `the kill came too late to test a resume (${before} of ${count} imported)`);

  const rerun = runCli(['import', projectPath, images, '--json']);
  assert.equal(rerun.status, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout) as { imported: number; alreadyPresent: number };
  assert.equal(summary.imported + summary.alreadyPresent, count);
  const project = Project.open(projectPath);
  const rows = project.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT content_hash) AS hashes FROM samples').get() as { n: number; hashes: number };
  assert.deepEqual(rows, { n: count, hashes: count });
  const thumbs = (project.db.prepare('SELECT COUNT(*) AS n FROM thumbnails').get() as { n: number }).n;
  assert.equal(thumbs, count);
  project.close();
});

test('importing a missing folder fails with its path', async () => {
  const project = Project.create(path.join(dir, 'missing.farpoint'));
  await assert.rejects(importFolder(project.db, path.join(dir, 'no-such-folder')), /folder not found: .*no-such-folder/);
  fs.writeFileSync(path.join(dir, 'a-file'), 'x');
  await assert.rejects(importFolder(project.db, path.join(dir, 'a-file')), /not a folder/);
  project.close();
});
