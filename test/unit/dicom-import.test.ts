import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { decodeForModel, loadPixels } from '../../src/main/stages/train/pixels';
import { Project } from '../../src/main/store/project';
import { updateSettings } from '../../src/main/store/settings';
import { SYNTAX, littleEndian, writeDicom } from '../helpers/dicom-writer';
import { H, W, uniform16, writeDicomCorpus } from '../helpers/dicom-corpus';
import { tempDir } from '../helpers/temp';
import fs from 'node:fs';

const dir = tempDir();

test('a folder of DICOM files imports every syntax and frame, and skips each broken file with its reason', async () => {
  const corpus = await writeDicomCorpus(path.join(dir, 'corpus'));
  const project = Project.create(path.join(dir, 'corpus.farpoint'));
  const summary = await importFolder(project.db, corpus.dir);

  for (const bad of corpus.bad) {
    const reported = summary.skipped.find((s) => s.path === bad.file);
    assert.ok(reported, `${bad.file} was not reported (skipped: ${JSON.stringify(summary.skipped)})`);
    assert.match(reported.reason, bad.reason, `${bad.file}: ${reported.reason}`);
  }
  const expected = Object.values(corpus.good).reduce((n, g) => n + g.frames, 0);
  assert.equal(summary.imported, expected, JSON.stringify(summary.skipped));
  const rows = project.db
    .prepare('SELECT s.path, s.width, s.height, s.channels, s.bit_depth, s.format, d.file_path, d.frame, d.frame_count, d.sop_uid, d.identifying, t.width AS tw FROM samples s JOIN dicom_frames d ON d.sample_id = s.id JOIN thumbnails t ON t.sample_id = s.id ORDER BY s.path')
    .all() as { path: string; width: number; height: number; channels: number; bit_depth: number; format: string; file_path: string; frame: number; frame_count: number; sop_uid: string; identifying: string | null; tw: number }[];
  assert.equal(rows.length, expected);
  const multi = corpus.good.multiFrameRle!.file;
  assert.deepEqual(
    rows.filter((r) => r.file_path === multi).map((r) => [r.path, r.frame, r.frame_count]),
    [1, 2, 3].map((f) => [`${multi}#frame=${f}`, f, 3]),
  );
  const noExtension = rows.find((r) => r.file_path === corpus.good.implicitNoExtension!.file)!;
  assert.equal(noExtension.bit_depth, 8);
  assert.equal(rows.find((r) => r.file_path === corpus.good.rgb!.file)!.channels, 3);
  for (const row of rows) {
    assert.equal(row.format, 'dicom');
    assert.equal([row.width, row.height].join('×'), `${W}×${H}`);
    assert.equal(row.tw, W, 'thumbnails are not enlarged');
    assert.equal(row.identifying, null, 'patient attributes are not kept by default');
    assert.match(row.sop_uid, /^1\.2\.826\.0\.1\.3680043\.8\.498\.12\.\d+$/);
  }

  // A second run reads nothing again and adds nothing, multi-frame files included.
  const again = await importFolder(project.db, corpus.dir);
  assert.equal(again.imported, 0);
  assert.equal(again.alreadyPresent, Object.keys(corpus.good).length);

  // Every frame gives the autoencoder an input (the RLE frames decoded one by one).
  const { set, failures } = await loadPixels(project.db, { size: 16, channels: 1 });
  assert.deepEqual(failures, []);
  assert.equal(set.ids.length, expected);
  project.close();
});

test('rescale, window tags, a fixed project window and MONOCHROME1 decide the pixels the model and thumbnails get', async () => {
  const folder = path.join(dir, 'window');
  fs.mkdirSync(folder);
  // Stored 1524 with intercept -1024: 500 HU everywhere.
  const image = { rows: H, columns: W, bitsAllocated: 16 as const, intercept: -1024, slope: 1, windowCenter: '500\\0', windowWidth: '1000\\2001' };
  const m2 = path.join(folder, 'm2.dcm');
  const m1 = path.join(folder, 'm1.dcm');
  fs.writeFileSync(m2, writeDicom(SYNTAX.explicit, image, { native: littleEndian(uniform16(1524)) }));
  fs.writeFileSync(m1, writeDicom(SYNTAX.explicit, { ...image, photometric: 'MONOCHROME1', sopUid: '1.2.3.4' }, { native: littleEndian(uniform16(1524)) }));

  const mean = async (data: Uint8Array) => data.reduce((a, b) => a + b, 0) / data.length;
  const spec = { size: 8, channels: 1 as const };
  // First window from the file (center 500, width 1000): 500 HU sits at the middle, (500 - 499.5)/999 + 0.5 of 255.
  assert.equal(await mean(await decodeForModel(m2, spec)), 128);
  // The second window of the file, when the project asks for it: (500.5/2000 + 0.5) × 255 = 191.3.
  assert.equal(await mean(await decodeForModel(m2, spec, { mode: 'auto', fileWindow: 1 })), 191);
  // A fixed window: 500 HU at the top of a 0..400 window is white; MONOCHROME1 inverts it.
  assert.equal(await mean(await decodeForModel(m2, spec, { mode: 'fixed', center: 200, width: 400 })), 255);
  assert.equal(await mean(await decodeForModel(m1, spec, { mode: 'fixed', center: 200, width: 400 })), 0);

  // The project's window reaches thumbnails at import and the cached training input.
  const project = Project.create(path.join(dir, 'window.farpoint'));
  updateSettings(project.db, { window: { mode: 'fixed', center: 1000, width: 2001 } });
  await importFolder(project.db, folder);
  const thumb = project.db.prepare("SELECT t.data FROM thumbnails t JOIN samples s ON s.id = t.sample_id WHERE s.path = ?").pluck().get(m2) as Buffer;
  const { data } = await sharp(thumb).greyscale().raw().toBuffer({ resolveWithObject: true });
  // (500 - 999.5)/2000 + 0.5 of 255 = 0.25 × 255.
  assert.ok(Math.abs((await mean(data)) - 64) <= 1, `thumbnail mean ${await mean(data)}`);
  // Samples in id order: m1.dcm (inverted) then m2.dcm.
  const first = await loadPixels(project.db, spec);
  assert.equal(await mean(first.set.pixels.subarray(0, 64)), 191);
  assert.equal(await mean(first.set.pixels.subarray(64, 128)), 64);
  updateSettings(project.db, { window: { mode: 'fixed', center: 500, width: 1001 } });
  const second = await loadPixels(project.db, spec);
  assert.equal(await mean(second.set.pixels.subarray(64, 128)), 128, 'a new window decodes again instead of reading the cache');
  project.close();
});
