import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type CreateRaw, type Sharp } from 'sharp';
import { writeDistinctPng } from '../../helpers/images';

/**
 * Files beyond test/helpers/bad-files.ts's corpus: real animated images,
 * 16-bit TIFF and RGB PNG, a JPEG whose header claims a pixel bomb, more
 * truncated formats, a FIFO, names with control characters, a 250-byte name,
 * a file whose extension lies, a hard link. `good` must import with the
 * stored figures given; `bad` must be reported with a matching reason.
 */
export interface ExtraCorpus {
  dir: string;
  good: { path: string; width: number; height: number; bitDepth?: number; format?: RegExp }[];
  bad: { path: string; reason: RegExp }[];
  duplicates: { path: string; duplicateOf: string }[];
  /** Files that are neither images nor reported: they must simply not stop or hang the import. */
  inert: string[];
}

async function animated(width: number, height: number, frames: number): Promise<Sharp> {
  const raw = Buffer.alloc(width * height * frames * 4);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < width * height; i++) raw.writeUInt32BE((((f * 80 + 20) << 24) | (0x40 << 16) | (i % 256 << 8) | 0xff) >>> 0, (f * width * height + i) * 4);
  }
  return sharp(raw, { raw: { width, height: height * frames, channels: 4, pageHeight: height } as CreateRaw });
}

/** A real JPEG whose SOF0 header is patched to claim width × height: the shape of a decompression bomb. */
async function jpegBomb(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg({ mozjpeg: false }).toBuffer();
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9; ) {
    if (out[i] !== 0xff) throw new Error('unexpected JPEG layout');
    const marker = out[i + 1]!;
    const length = out.readUInt16BE(i + 2);
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + length;
  }
  throw new Error('no SOF marker in the generated JPEG');
}

/**
 * An uncompressed 16-bit grayscale TIFF, written by hand: sharp's TIFF
 * writer only produces 8-bit, and scanners and X-ray detectors produce these.
 */
function gray16Tiff(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 2);
  for (let i = 0; i < width * height; i++) pixels.writeUInt16LE((i * 170) % 65536, i * 2);
  const entries: [tag: number, type: number, value: number][] = [
    [256, 3, width], // ImageWidth
    [257, 3, height], // ImageLength
    [258, 3, 16], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // PhotometricInterpretation: BlackIsZero
    [273, 4, 0], // StripOffsets, filled in below
    [277, 3, 1], // SamplesPerPixel
    [278, 3, height], // RowsPerStrip
    [279, 4, pixels.length], // StripByteCounts
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const out = Buffer.alloc(dataOffset + pixels.length);
  out.write('II*\u0000', 0, 'latin1');
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(1, at + 4);
    if (type === 3) out.writeUInt16LE(value, at + 8);
    else out.writeUInt32LE(tag === 273 ? dataOffset : value, at + 8);
  });
  out.writeUInt32LE(0, 8 + 2 + entries.length * 12);
  pixels.copy(out, dataOffset);
  return out;
}

export async function writeExtraCorpus(dir: string): Promise<ExtraCorpus> {
  fs.mkdirSync(dir, { recursive: true });
  const p = (name: string) => path.join(dir, name);
  const corpus: ExtraCorpus = { dir, good: [], bad: [], duplicates: [], inert: [] };

  await (await animated(20, 10, 3)).gif({ loop: 0, delay: [100, 100, 100] }).toFile(p('animated.gif'));
  corpus.good.push({ path: p('animated.gif'), width: 20, height: 10, format: /gif/ });
  await (await animated(12, 14, 4)).webp({ loop: 0 }).toFile(p('animated.webp'));
  corpus.good.push({ path: p('animated.webp'), width: 12, height: 14, format: /webp/ });

  fs.writeFileSync(p('gray16.tiff'), gray16Tiff(24, 16));
  corpus.good.push({ path: p('gray16.tiff'), width: 24, height: 16, bitDepth: 16, format: /tiff/ });
  const rgb16 = Buffer.alloc(10 * 10 * 3 * 2);
  for (let i = 0; i < 300; i++) rgb16.writeUInt16LE((i * 211) % 65536, i * 2);
  await sharp(rgb16, { raw: { width: 10, height: 10, channels: 3 } }).toColourspace('rgb16').png().toFile(p('rgb16.png'));
  corpus.good.push({ path: p('rgb16.png'), width: 10, height: 10, bitDepth: 16, format: /png/ });

  await sharp({ create: { width: 9, height: 7, channels: 3, background: '#123456' } }).jpeg().toFile(p('really-a-jpeg.png'));
  corpus.good.push({ path: p('really-a-jpeg.png'), width: 9, height: 7, format: /jpeg/ });
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toFile(p('one-pixel.PNG'));
  corpus.good.push({ path: p('one-pixel.PNG'), width: 1, height: 1 });
  for (const [name, seed] of [['new\nline.png', 31], ['tab\tand  spaces .png', 32], [`${'n'.repeat(246)}.png`, 33]] as const) {
    await writeDistinctPng(p(name), seed);
    corpus.good.push({ path: p(name), width: 32, height: 32 });
  }
  const deep = path.join(dir, ...Array.from({ length: 40 }, (_, i) => `level-${i}`), 'deep.png');
  await writeDistinctPng(deep, 34);
  corpus.good.push({ path: deep, width: 32, height: 32 });
  fs.linkSync(p('rgb16.png'), p('zz-hard-link-to-rgb16.png'));
  corpus.duplicates.push({ path: p('zz-hard-link-to-rgb16.png'), duplicateOf: p('rgb16.png') });

  fs.writeFileSync(p('bomb.jpg'), await jpegBomb(60_000, 60_000));
  corpus.bad.push({ path: p('bomb.jpg'), reason: /too large: 60000×60000 pixels/ });
  // Cut inside the first frame: Farpoint uses the first frame, so a cut in a later one is not a defect it must see.
  for (const [name, keep] of [['animated.gif', 0.15], ['animated.webp', 0.15], ['gray16.tiff', 0.5]] as const) {
    const whole = fs.readFileSync(p(name));
    const truncated = p(`truncated-${name}`);
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * keep)));
    corpus.bad.push({ path: truncated, reason: /cannot decode|not a readable image/ });
  }
  fs.writeFileSync(p('garbage.tiff'), Buffer.from('II*\u0000garbage after a TIFF signature'));
  corpus.bad.push({ path: p('garbage.tiff'), reason: /cannot decode|not a readable image/ });

  // A FIFO named like an image: reading it would block forever.
  execFileSync('mkfifo', [p('pipe.png')]);
  corpus.inert.push(p('pipe.png'));
  return corpus;
}
