import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { DEFAULT_READ_LIMITS, readImage } from '../../src/main/stages/import/read-image';
import { decodeForModel, loadPixels, type PixelSpec } from '../../src/main/stages/train/pixels';
import { Project } from '../../src/main/store/project';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

/** A textured picture, so resampling differences would show. */
function texture(width: number, height: number, channels: number): Buffer {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) {
    data[(y * width + x) * channels + c] = c === 3 ? (x * 7 + y) % 256 : (x * 13 + y * 29 + c * 71 + ((x * y) % 17) * 9) % 256;
  }
  return data;
}

/** Images an import decodes once: gray, gray + alpha, RGB, RGBA PNGs, one with an ICC profile. */
async function writeDecodedOnceImages(folder: string): Promise<string[]> {
  fs.mkdirSync(folder, { recursive: true });
  const files: [string, Promise<Buffer>][] = [
    ['gray.png', sharp(texture(97, 61, 1), { raw: { width: 97, height: 61, channels: 1 } }).png().toBuffer()],
    ['gray-alpha.png', sharp(texture(50, 80, 2), { raw: { width: 50, height: 80, channels: 2 } }).png().toBuffer()],
    ['rgb.png', sharp(texture(120, 90, 3), { raw: { width: 120, height: 90, channels: 3 } }).png().toBuffer()],
    ['rgba.png', sharp(texture(70, 70, 4), { raw: { width: 70, height: 70, channels: 4 } }).png().toBuffer()],
    ['profile.png', sharp(texture(64, 48, 3), { raw: { width: 64, height: 48, channels: 3 } }).withIccProfile('p3').png().toBuffer()],
  ];
  const paths: string[] = [];
  for (const [name, bytes] of files) {
    const file = path.join(folder, name);
    fs.writeFileSync(file, await bytes);
    paths.push(file);
  }
  return paths;
}

for (const spec of [{ size: 64, channels: 1 }, { size: 32, channels: 3 }] satisfies PixelSpec[]) {
  test(`an image decoded once at import gets the same ${spec.size} px ${spec.channels === 1 ? 'gray' : 'RGB'} model input and thumbnail as its own pipelines make`, async () => {
    for (const file of await writeDecodedOnceImages(path.join(dir, `once-${spec.size}-${spec.channels}`))) {
      const once = await readImage(file, DEFAULT_READ_LIMITS, spec);
      const separate = await readImage(file, DEFAULT_READ_LIMITS, null);
      assert.ok(once.modelInput, `${path.basename(file)}: no model input made at import`);
      assert.equal(separate.modelInput, undefined);
      assert.deepEqual(once.modelInput.data, await decodeForModel(file, spec), `${path.basename(file)}: model input differs from decoding the file`);
      assert.deepEqual(once.thumbnail, separate.thumbnail, `${path.basename(file)}: thumbnail differs`);
      assert.deepEqual([once.width, once.height, once.channels, once.format], [separate.width, separate.height, separate.channels, separate.format]);
    }
  });
}

test('a 16-bit PNG, a JPEG and an EXIF-rotated PNG keep their own pipelines: no model input at import, the model decodes the file when it needs it', async () => {
  const deep = path.join(dir, 'deep.png');
  const values = new Uint16Array(40 * 40).map((_, i) => i * 40);
  fs.writeFileSync(deep, await sharp(Buffer.from(values.buffer), { raw: { width: 40, height: 40, channels: 1 } }).toColourspace('grey16').png().toBuffer());
  const photo = path.join(dir, 'photo.jpg');
  fs.writeFileSync(photo, await sharp(texture(100, 120, 1), { raw: { width: 100, height: 120, channels: 1 } }).jpeg().toBuffer());
  const rotated = path.join(dir, 'rotated.png');
  fs.writeFileSync(rotated, await sharp(texture(160, 100, 3), { raw: { width: 160, height: 100, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer());
  for (const file of [deep, photo, rotated]) assert.equal((await readImage(file, DEFAULT_READ_LIMITS, { size: 64, channels: 1 })).modelInput, undefined, file);
});

test('an import stores each image’s model input, so training and embedding read them without the files', async () => {
  const folder = path.join(dir, 'import');
  const files = await writeDecodedOnceImages(folder);
  const spec: PixelSpec = { size: 64, channels: 1 };
  const expected = new Map<string, Uint8Array>();
  for (const file of files) expected.set(file, await decodeForModel(file, spec));
  const project = Project.create(path.join(dir, 'import.farpoint'));
  try {
    const summary = await importFolder(project.db, folder);
    assert.equal(summary.imported, files.length);
    // Gone from disk: anything not in the pixel cache would now fail to decode.
    fs.rmSync(folder, { recursive: true });
    const { set, failures } = await loadPixels(project.db, spec);
    assert.deepEqual(failures, []);
    const paths = new Map((project.db.prepare('SELECT id, path FROM samples').all() as { id: number; path: string }[]).map((r) => [r.id, r.path]));
    assert.equal(set.ids.length, files.length);
    set.ids.forEach((id, slot) => {
      assert.deepEqual(set.pixels.subarray(slot * set.bytesPerImage, (slot + 1) * set.bytesPerImage), expected.get(paths.get(id)!), paths.get(id));
    });
  } finally {
    project.close();
  }
});

test('an import with the model input turned off stores none, and the project’s input size decides what is made', async () => {
  const folder = path.join(dir, 'off');
  await writeDecodedOnceImages(folder);
  const project = Project.create(path.join(dir, 'off.farpoint'));
  try {
    await importFolder(project.db, folder, { modelInput: null });
    assert.equal(project.db.prepare('SELECT COUNT(*) FROM pixel_cache').pluck().get(), 0);
    const other = Project.create(path.join(dir, 'on.farpoint'));
    try {
      await importFolder(other.db, folder);
      const sizes = other.db.prepare('SELECT DISTINCT size || \'x\' || channels FROM pixel_cache').pluck().all();
      assert.deepEqual(sizes, ['64x1']);
    } finally {
      other.close();
    }
  } finally {
    project.close();
  }
});
