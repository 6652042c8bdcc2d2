import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import { changeSettings } from '../../src/main/app/window-change';
import { rerenderDicomThumbnails } from '../../src/main/stages/import/dicom/rerender-thumbnails';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId, updateSettings } from '../../src/main/store/settings';
import type { ProjectStatus } from '../../src/shared/domain';
import type { WindowLevel } from '../../src/shared/window-level';
import { littleEndian, SYNTAX, writeDicom } from '../helpers/dicom-writer';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// 256 × 192 frames (thumbnails 128 × 96) of four vertical bands, 64 px wide, of known stored values.
const COLUMNS = 256;
const ROWS = 192;
const INTERCEPT = -1024;
const BANDS = [1000, 1500, 2000, 3000];

function bandedValues(order: number[]): Uint16Array {
  const values = new Uint16Array(COLUMNS * ROWS);
  for (let y = 0; y < ROWS; y++) for (let x = 0; x < COLUMNS; x++) values[y * COLUMNS + x] = BANDS[order[x >> 6]!]!;
  return values;
}

/** The DICOM linear window function (PS3.3 C.11.2.1.2.1) on one stored value, written out from the standard. */
function expectedGray(stored: number, { center, width }: WindowLevel): number {
  const x = stored + INTERCEPT;
  if (x <= center - 0.5 - (width - 1) / 2) return 0;
  if (x > center - 0.5 + (width - 1) / 2) return 255;
  return Math.round(((x - (center - 0.5)) / (width - 1) + 0.5) * 255);
}

/** The mean gray of the middle 16 columns of each band of a stored thumbnail (away from JPEG's edges). */
async function bandMeans(project: Project, samplePath: string): Promise<number[]> {
  const jpeg = project.db.prepare('SELECT t.data FROM thumbnails t JOIN samples s ON s.id = t.sample_id WHERE s.path = ?').pluck().get(samplePath) as Buffer;
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [COLUMNS / 2, ROWS / 2]);
  return [0, 1, 2, 3].map((band) => {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < info.height; y++) for (let x = band * 32 + 8; x < band * 32 + 24; x++, n++) sum += data[y * info.width + x]!;
    return sum / n;
  });
}

async function assertThumbnails(project: Project, files: { path: string; order: number[] }[], window: WindowLevel): Promise<void> {
  for (const file of files) {
    const means = await bandMeans(project, file.path);
    const expected = file.order.map((b) => expectedGray(BANDS[b]!, window));
    means.forEach((mean, band) => assert.ok(Math.abs(mean - expected[band]!) <= 2, `${path.basename(file.path)} band ${band}: ${mean.toFixed(1)}, expected ${expected[band]} (window ${JSON.stringify(window)})`));
  }
}

const A = { center: 500, width: 2000 };
const B = { center: 1000, width: 1000 };
const C = { center: 0, width: 4000 };

test('a new project window renders every DICOM thumbnail again with it, as a job in the compute worker, and says the model must be trained again', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'ct');
  fs.mkdirSync(folder);
  const image = { rows: ROWS, columns: COLUMNS, bitsAllocated: 16 as const, bitsStored: 12, intercept: INTERCEPT, slope: 1 };
  const single = path.join(folder, 'single.dcm');
  const multi = path.join(folder, 'multi.dcm');
  fs.writeFileSync(single, writeDicom(SYNTAX.explicit, image, { native: littleEndian(bandedValues([0, 1, 2, 3])) }));
  const frames = [bandedValues([3, 2, 1, 0]), bandedValues([1, 3, 0, 2])];
  const both = new Uint16Array(frames[0]!.length * 2);
  both.set(frames[0]!, 0);
  both.set(frames[1]!, frames[0]!.length);
  fs.writeFileSync(multi, writeDicom(SYNTAX.explicit, { ...image, frames: 2, sopUid: '1.2.3.9' }, { native: littleEndian(both) }));
  const samples = [
    { path: single, order: [0, 1, 2, 3] },
    { path: `${multi}#frame=1`, order: [3, 2, 1, 0] },
    { path: `${multi}#frame=2`, order: [1, 3, 0, 2] },
  ];

  const file = path.join(dir, 'window.farpoint');
  const project = Project.create(file);
  updateSettings(project.db, { window: { mode: 'fixed', ...A } });
  assert.equal((await importFolder(project.db, folder)).imported, 3);
  await assertThumbnails(project, samples, A);
  // A model trained with window A.
  const model = Number(project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'cpu', 'now')").run().lastInsertRowid);
  setCurrentModelId(project.db, model);
  project.close();

  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  const thumbnailsJob = () => session.jobs.list().find((j) => j.kind === 'thumbnails');
  try {
    assert.equal(thumbnailsJob(), undefined, 'nothing is stale on open');
    assert.equal((await call<ProjectStatus>('getStatus')).modelInputChanged, null);

    await call('updateSettings', { window: { mode: 'fixed', ...B } });
    const job = await session.jobs.waitFor(thumbnailsJob()!.id);
    assert.equal(job.state, 'done', job.error ?? '');
    assert.deepEqual([job.progress.done, job.progress.total, job.progress.unit], [3, 3, 'thumbnails']);
    assert.equal((job.result as { rendered: number }).rendered, 3);
    await assertThumbnails(session.project, samples, B);
    assert.match((await call<ProjectStatus>('getStatus')).modelInputChanged ?? '', /window\/level changed after model \d+ was trained.*train again/);

    // Other settings leave the thumbnails alone; the window the model was trained with clears the notice.
    await call('updateSettings', { angleMode: 'axial' });
    assert.equal(session.jobs.list().filter((j) => j.kind === 'thumbnails').length, 1);
    await call('updateSettings', { window: { mode: 'fixed', ...A } });
    const back = await session.jobs.waitFor(session.jobs.list().find((j) => j.kind === 'thumbnails' && j.id !== job.id)!.id);
    assert.equal(back.state, 'done', back.error ?? '');
    await assertThumbnails(session.project, samples, A);
    assert.equal((await call<ProjectStatus>('getStatus')).modelInputChanged, null);
  } finally {
    await session.close();
  }
});

test('the re-render on reading threads gives the same thumbnails, does only stale ones, and reports a file that went missing', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'ct');
  fs.mkdirSync(folder);
  const image = { rows: ROWS, columns: COLUMNS, bitsAllocated: 16 as const, intercept: INTERCEPT, slope: 1 };
  const samples = [0, 1, 2].map((n) => ({ path: path.join(folder, `ct-${n}.dcm`), order: [[0, 1, 2, 3], [2, 3, 0, 1], [3, 0, 1, 2]][n]! }));
  for (const [n, s] of samples.entries()) fs.writeFileSync(s.path, writeDicom(SYNTAX.explicit, { ...image, sopUid: `1.2.3.${n}` }, { native: littleEndian(bandedValues(s.order)) }));
  const project = Project.create(path.join(dir, 'threads.farpoint'));
  try {
    updateSettings(project.db, { window: { mode: 'fixed', ...A } });
    // The import's reading threads too, though the folder is small.
    assert.equal((await importFolder(project.db, folder, { threads: 2 })).imported, 3);
    await assertThumbnails(project, samples, A);

    assert.equal(changeSettings(project.db, { window: { mode: 'fixed', ...C } }).rerenderThumbnails, true);
    fs.renameSync(samples[2]!.path, `${samples[2]!.path}.moved`);
    const progress: number[] = [];
    const first = await rerenderDicomThumbnails(project.db, { threads: 2, onProgress: (p) => progress.push(p.done) });
    assert.equal(first.rendered, 2);
    assert.deepEqual(first.failed.map((f) => f.path), [samples[2]!.path]);
    assert.match(first.failed[0]!.reason, /file not found/);
    assert.deepEqual([progress[0], progress.at(-1)], [0, 3]);
    await assertThumbnails(project, samples.slice(0, 2), C);
    await assertThumbnails(project, samples.slice(2), A);

    // Only the stale one is rendered again, once its file is back.
    fs.renameSync(`${samples[2]!.path}.moved`, samples[2]!.path);
    const second = await rerenderDicomThumbnails(project.db, { threads: 0 });
    assert.deepEqual([second.rendered, second.failed.length], [1, 0]);
    await assertThumbnails(project, samples, C);
  } finally {
    project.close();
  }
});

test('farpoint settings --window renders the DICOM thumbnails again with progress and says to train again', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'ct');
  fs.mkdirSync(folder);
  const sample = { path: path.join(folder, 'ct.dcm'), order: [1, 0, 3, 2] };
  fs.writeFileSync(sample.path, writeDicom(SYNTAX.explicit, { rows: ROWS, columns: COLUMNS, bitsAllocated: 16, intercept: INTERCEPT, slope: 1 }, { native: littleEndian(bandedValues(sample.order)) }));
  const file = path.join(dir, 'cli.farpoint');
  const project = Project.create(file);
  await importFolder(project.db, folder);
  const model = Number(project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'cpu', 'now')").run().lastInsertRowid);
  setCurrentModelId(project.db, model);
  project.close();

  const run = runCli(['settings', file, '--window', `${B.center},${B.width}`, '--json']);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { window: unknown; thumbnailsRendered: number; modelInputChanged: string | null };
  assert.deepEqual(result.window, { mode: 'fixed', ...B });
  assert.equal(result.thumbnailsRendered, 1);
  assert.match(result.modelInputChanged ?? '', /train again/);
  assert.match(run.stderr, /re-rendering DICOM thumbnails with the new window: \d of 1/);
  const reopened = Project.open(file);
  try {
    await assertThumbnails(reopened, [sample], B);
  } finally {
    reopened.close();
  }
  // The same window again changes nothing.
  const again = runCli(['settings', file, '--window', `${B.center},${B.width}`, '--json']);
  assert.equal(JSON.parse(again.stdout).thumbnailsRendered, 0);
});
