import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { writeDistinctPng } from './images';

export interface Corpus {
  dir: string;
  /** Files that must import, by role. */
  good: Record<string, string>;
  /** Files that must be reported, with a pattern their reason must match. */
  bad: { path: string; reason: RegExp }[];
  /** Second name of an identical file: reported as a duplicate of good.original. */
  duplicate: string;
}

/** A PNG whose header claims `width × height` pixels: the shape of a decompression bomb, a few bytes on disk. */
export async function pixelBombPng(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
  const out = Buffer.from(png);
  // IHDR data starts at byte 16: width, height (big-endian), then its CRC after 13 bytes of data.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(zlib.crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

/** Every kind of file the import must accept or reject, generated with real codecs. */
export async function writeCorpus(dir: string): Promise<Corpus> {
  fs.mkdirSync(path.join(dir, 'nested', 'deeper'), { recursive: true });
  const p = (name: string) => path.join(dir, name);
  const gray8 = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toBuffer();

  const good: Record<string, string> = {
    original: p('original.png'),
    jpeg: p('photo.jpg'),
    webp: p('nested/pic.webp'),
    tiff: p('nested/scan.tiff'),
    gif: p('nested/deeper/anim.gif'),
    avif: p('nested/pic.avif'),
    gray16: p('gray16.png'),
    cmyk: p('cmyk.jpg'),
    alpha: p('alpha.png'),
    exifRotated: p('exif-rotated.jpg'),
    spaces: p('name with spaces.png'),
    unicode: p('ünïcødé-画像.png'),
    longName: p(`${'long'.repeat(50)}-name.png`),
  };
  await writeDistinctPng(good.original!, 1);
  await sharp(gray8).jpeg().toFile(good.jpeg!);
  await sharp(gray8).tint('#00ff00').webp().toFile(good.webp!);
  await sharp(gray8).tint('#0000ff').tiff().toFile(good.tiff!);
  const frames = Buffer.alloc(16 * 16 * 4 * 3);
  for (let i = 0; i < frames.length; i += 4) frames.writeUInt32BE(((i / 1024) | 0) * 0x40404000 + 0xff, i);
  await sharp(frames, { raw: { width: 16, height: 48, channels: 4 } }).gif({ }).toFile(good.gif!);
  await sharp(gray8).tint('#ffff00').avif({ quality: 50 }).toFile(good.avif!);
  const gray16 = Buffer.alloc(20 * 20 * 2);
  for (let i = 0; i < 400; i++) gray16.writeUInt16LE(i * 150, i * 2);
  await sharp(gray16, { raw: { width: 20, height: 20, channels: 1, premultiplied: false } })
    .toColourspace('grey16')
    .png()
    .toFile(good.gray16!);
  await sharp(gray8).tint('#ff00ff').toColourspace('cmyk').jpeg().toFile(good.cmyk!);
  await sharp({ create: { width: 24, height: 24, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } }).png().toFile(good.alpha!);
  // 60 wide × 20 high stored, EXIF orientation 6 (rotate 90° clockwise): 20 × 60 once applied.
  await sharp({ create: { width: 60, height: 20, channels: 3, background: { r: 9, g: 99, b: 199 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toFile(good.exifRotated!);
  await writeDistinctPng(good.spaces!, 2);
  await writeDistinctPng(good.unicode!, 3);
  await writeDistinctPng(good.longName!, 4);

  const duplicate = p('zz-copy-of-original.png');
  fs.copyFileSync(good.original!, duplicate);

  const jpeg = fs.readFileSync(good.jpeg!);
  const png = fs.readFileSync(good.original!);
  const bad: { path: string; reason: RegExp }[] = [
    { path: p('truncated.jpg'), reason: /cannot decode|not a readable image/ },
    { path: p('truncated.png'), reason: /cannot decode|not a readable image/ },
    { path: p('empty.png'), reason: /empty file/ },
    { path: p('text.png'), reason: /not a readable image/ },
    { path: p('bomb.png'), reason: /too large: 20000×20000 pixels/ },
    { path: p('self-loop.png'), reason: /symlink loop/ },
    { path: p('dangling.png'), reason: /broken symlink/ },
    { path: p('nested/loop'), reason: /symlink loop/ },
  ];
  fs.writeFileSync(bad[0]!.path, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  fs.writeFileSync(bad[1]!.path, png.subarray(0, Math.floor(png.length * 0.6)));
  fs.writeFileSync(bad[2]!.path, '');
  fs.writeFileSync(bad[3]!.path, 'this is a text file that only pretends to be a PNG\n');
  fs.writeFileSync(bad[4]!.path, await pixelBombPng(20_000, 20_000));
  fs.symlinkSync('self-loop.png', bad[5]!.path);
  fs.symlinkSync('does-not-exist.png', bad[6]!.path);
  fs.symlinkSync('..', bad[7]!.path);
  // Root reads any file regardless of mode, so a permission failure can only be produced for other users.
  if (process.getuid?.() !== 0) {
    const locked = p('locked.png');
    await writeDistinctPng(locked, 9);
    fs.chmodSync(locked, 0o000);
    bad.push({ path: locked, reason: /permission denied/ });
  }
  const fifo = p('pipe.png');
  if (spawnSync('mkfifo', [fifo]).status === 0) bad.push({ path: fifo, reason: /not a regular file/ });
  const badName = Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0x62, 0xff, 0x61, 0x64]), Buffer.from('.png')]);
  fs.writeFileSync(badName, fs.readFileSync(good.original!).subarray(0, 10));
  bad.push({ path: p('b\uFFFDad.png'), reason: /not valid UTF-8/ });
  fs.writeFileSync(p('notes.txt'), 'not an image extension: ignored, not reported');
  return { dir, good, bad, duplicate };
}
