import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnnotationRecord, JobInfo, SampleInfo, ThumbnailPage } from '../../src/shared/domain';
import type { AgreementReport, Conflict } from '../../src/shared/label-exchange';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeDistinctPng, writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';

const dir = tempDir();
// The annotator name is remembered per user in the config folder: this file's own, so other test files never see its names.
process.env.FARPOINT_CONFIG_DIR = path.join(dir, 'config');

/** A project over `folder`, imported through the contract, with labels saved under each annotator's name. */
async function site(name: string, folder: string, labels: [who: string, file: string, angle: number][]): Promise<{ backend: TestBackend; ids: Map<string, number> }> {
  const backend = await startBackend(path.join(dir, `${name}.farpoint`), { create: true });
  after(() => backend.close());
  const job = await call<JobInfo>(backend, 'importFolder', { folder });
  await backend.session.jobs.waitFor(job.id);
  const samples = (await call<ThumbnailPage>(backend, 'listSamples', { limit: 100 })).samples;
  const ids = new Map(samples.map((s) => [path.basename(s.path), s.id]));
  for (const [who, file, angle] of labels) {
    await call(backend, 'setAnnotator', { annotator: who });
    await call(backend, 'saveLabel', { sampleId: ids.get(file)!, angle });
  }
  return { backend, ids };
}

const text = (page: Page, testId: string) => page.locator(`[data-testid=${testId}]`).first().innerText();

test('two sites exchange label packs in the UI; the report, the agreement figures and the adjudications match a hand computation, and a second merge changes nothing', async () => {
  // Site B holds the same four images as site A, under other names, and one more of its own.
  const filesA = await writeImageFolder(path.join(dir, 'images-a'), 4);
  const folderB = path.join(dir, 'images-b', 'nested');
  fs.mkdirSync(folderB, { recursive: true });
  for (const f of filesA) fs.copyFileSync(f, path.join(folderB, `b-${path.basename(f)}`));
  await writeDistinctPng(path.join(folderB, 'only-at-b.png'), 99);

  const a = await site('site-a', path.join(dir, 'images-a'), [
    ['alice', 'img-0000.png', 10],
    ['alice', 'img-0001.png', 350],
    ['alice', 'img-0002.png', 90],
  ]);
  const b = await site('site-b', folderB, [
    ['bob', 'b-img-0000.png', 14],
    ['bob', 'b-img-0001.png', 5],
    ['bob', 'b-img-0002.png', 105],
    ['bob', 'b-img-0003.png', 200],
    ['bob', 'only-at-b.png', 45],
    ['carol', 'b-img-0000.png', 8],
  ]);
  const [s0, s1, s2] = ['img-0000.png', 'img-0001.png', 'img-0002.png'].map((f) => a.ids.get(f)!) as [number, number, number];

  // Site B writes its pack from the Agreement view, to the file name it offers beside the project.
  const pageB = await openApp(b.backend, '#/agreement');
  const packFile = path.join(dir, 'site-b-labels.json');
  assert.equal(await pageB.inputValue('[name=pack-export-path]'), packFile);
  await pageB.click('[data-testid=export-pack]');
  await pageB.locator('[data-testid=export-result]').waitFor();
  assert.match(await text(pageB, 'export-result'), /Wrote 6 annotations of 5 images/);
  assert.ok(fs.existsSync(packFile));

  // Site A merges it.
  await call(a.backend, 'setAnnotator', { annotator: 'expert' });
  const page = await openApp(a.backend, '#/agreement');
  await page.locator('[data-testid=agreement-empty]').waitFor();
  await page.fill('[name=pack-merge-path]', packFile);
  await page.click('[data-testid=merge-pack]');
  await page.locator('[data-testid=merge-report]').waitFor();
  assert.match(await text(page, 'merge-matched'), /^4 images matched/);
  assert.match(await text(page, 'merge-unmatched'), /^1 not in this project/);
  assert.match(await text(page, 'merge-added'), /^5 annotations added/);
  assert.match(await text(page, 'merge-unchanged'), /^0 unchanged/);
  // By hand: 350° and 5° are 15° apart (across 0°), 90° and 105° 15°; img-0000's three are at most 6° apart.
  assert.match(await text(page, 'merge-conflicts'), /^2 samples with annotators more than 10° apart, 2 raised by this merge/);
  const reported = await page.locator('[data-testid=merge-conflict]').evaluateAll((els) => els.map((e) => [Number((e as HTMLElement).dataset.sampleId), (e as HTMLElement).dataset.new]));
  assert.deepEqual(reported, [[s1, 'true'], [s2, 'true']]);
  const firstConflict = page.locator(`[data-testid=merge-conflict][data-sample-id="${s1}"]`);
  assert.match(await firstConflict.innerText(), /alice 350\.0°.*bob 5\.0° \(site-b\).*15\.0° apart/s);
  const onlyAtB = (await call<ThumbnailPage>(b.backend, 'listSamples', { limit: 100 })).samples.find((s) => s.path.endsWith('only-at-b.png'))!;
  await page.locator('[data-testid=merge-report] details summary').click();
  assert.equal((await text(page, 'unmatched-hashes')).trim(), onlyAtB.contentHash);

  // The agreement figures, by hand. Pairs: img-0000 alice–bob 4, alice–carol 2, bob–carol 6; img-0001 and img-0002 alice–bob 15 each.
  await page.locator('[data-testid=agreement-figures] [data-testid=agreement-mad]').waitFor();
  assert.match(await text(page, 'agreement-samples'), /^3 samples/);
  assert.equal(await text(page, 'agreement-mad'), '8.40°'); // (4 + 2 + 6 + 15 + 15) / 5
  assert.equal(await text(page, 'agreement-within5'), '40.0 %'); // 4 and 2
  assert.equal(await text(page, 'agreement-within10'), '60.0 %'); // 4, 2 and 6
  const pair = async (key: string) =>
    page.locator(`[data-testid=agreement-pair][data-pair="${key}"] td`).evaluateAll((tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
  assert.deepEqual(await pair('alice|bob'), ['3', '11.33°', '33.3 %', '33.3 %']); // 4, 15, 15
  assert.deepEqual(await pair('alice|carol'), ['1', '2.00°', '100.0 %', '100.0 %']);
  assert.deepEqual(await pair('bob|carol'), ['1', '6.00°', '0.0 %', '100.0 %']);
  const agreementBefore = await call<AgreementReport>(a.backend, 'getAgreement');
  await screenshot(page, 'agreement-overview');

  // Adjudication: the walk starts at the first open conflict, with each annotator's arrow in its colour and name.
  await page.click('[data-testid=start-adjudication]');
  await page.locator(`[data-testid=adjudicator][data-sample-id="${s1}"]`).waitFor();
  const arrows = page.locator('[data-testid=annotator-arrow]');
  await arrows.nth(1).waitFor();
  assert.deepEqual(await arrows.evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.author, (e as HTMLElement).dataset.angle])), [['alice', '350'], ['bob', '5']]);
  const colours = await arrows.evaluateAll((els) => els.map((e) => e.querySelector('line.arrow')!.getAttribute('stroke')));
  assert.notEqual(colours[0], colours[1]);
  assert.match(await arrows.nth(0).locator('text').textContent() ?? '', /1 alice/);
  assert.equal(await page.locator('[data-testid=accept-adjudication]').isDisabled(), true, 'nothing is chosen yet: Enter cannot store by accident');
  await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[data-testid=adjudication-image] img')?.naturalWidth ?? 0) > 0);
  await screenshot(page, 'adjudication');

  // Key 2 takes Bob's angle; Enter stores it and moves on to the next open conflict.
  await page.keyboard.press('2');
  await page.locator('[data-testid=final-angle]', { hasText: '5.0°' }).waitFor();
  await page.locator('[data-testid=final-arrow][data-angle="5"]').waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid=adjudicator][data-sample-id="${s2}"]`).waitFor();

  // A click takes an annotator's angle too; the second is then set by typing instead.
  await page.click('[data-testid=choose-annotator][data-author=bob]');
  await page.locator('[data-testid=final-angle]', { hasText: '105.0°' }).waitFor();
  await page.keyboard.press('t');
  await page.keyboard.type('97.5');
  await page.locator('[data-testid=final-angle]', { hasText: '97.5°' }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=adjudication-notice]', { hasText: 'Every conflict over 10° is adjudicated' }).waitFor();
  await page.locator('[data-testid=adjudication-state][data-adjudicated=true]', { hasText: 'adjudicated 97.5° by expert' }).waitFor();

  // Undo takes back the latest adjudication: Alice's own label is the sample's label again.
  await page.keyboard.press('Control+z');
  await page.locator('[data-testid=adjudication-notice]', { hasText: `Undid the adjudication of #${s2} (97.5°)` }).waitFor();
  await page.locator('[data-testid=adjudication-state][data-adjudicated=false]').waitFor();
  assert.deepEqual(await currentLabel(a.backend, s2), { angle: 90, angleSource: 'hand' });
  await page.locator('[data-testid=typed-angle]').fill('97.5');
  await page.press('[data-testid=typed-angle]', 'Enter');
  await page.locator('[data-testid=adjudication-state][data-adjudicated=true]', { hasText: 'adjudicated 97.5° by expert' }).waitFor();

  // Stored: each with its own source and the expert's name; every annotator's label is kept in the history.
  assert.deepEqual(await currentLabel(a.backend, s1), { angle: 5, angleSource: 'adjudicated' });
  assert.deepEqual(await currentLabel(a.backend, s2), { angle: 97.5, angleSource: 'adjudicated' });
  const history = await call<AnnotationRecord[]>(a.backend, 'annotationHistory', { sampleId: s2 });
  assert.deepEqual(
    history.map((h) => [h.action, h.source, h.author, h.angle]),
    [
      ['set', 'hand', 'alice', 90],
      ['set', 'adjudicated', 'expert', 97.5],
      ['undo', 'hand', 'alice', 90],
      ['set', 'adjudicated', 'expert', 97.5],
    ],
  );
  assert.deepEqual(await currentLabel(a.backend, s0), { angle: 10, angleSource: 'hand' }, 'a sample without a conflict keeps its label');
  assert.deepEqual(await call<AgreementReport>(a.backend, 'getAgreement'), agreementBefore, "an expert's final angle is not another annotator's");

  // Back in the overview, both conflicts show their final angles.
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=conflict-summary]', { hasText: '2 conflicts, 0 open' }).waitFor();

  // The same pack again: nothing added, nothing new, nothing changed.
  const conflictsBefore = await call<Conflict[]>(a.backend, 'listLabelConflicts', {});
  await page.click('[data-testid=merge-pack]');
  await page.locator('[data-testid=merge-report][data-added="0"]').waitFor();
  assert.match(await text(page, 'merge-added'), /^0 annotations added/);
  assert.match(await text(page, 'merge-unchanged'), /^5 unchanged/);
  assert.match(await text(page, 'merge-conflicts'), /0 raised by this merge/);
  await page.locator('[data-testid=merge-nothing-new]').waitFor();
  assert.equal(await page.locator('[data-testid=merge-conflict][data-new=true]').count(), 0);
  assert.deepEqual(await call<Conflict[]>(a.backend, 'listLabelConflicts', {}), conflictsBefore);
  assert.deepEqual(await call<AgreementReport>(a.backend, 'getAgreement'), agreementBefore);
  assert.equal(await text(page, 'agreement-mad'), '8.40°');
  assert.deepEqual(await currentLabel(a.backend, s1), { angle: 5, angleSource: 'adjudicated' });

  // The Samples view lists the adjudicated labels under their own filter.
  await page.keyboard.press('Alt+5');
  await page.locator('[data-testid=filter-count-adjudicated]', { hasText: '2' }).waitFor();
});

test('a missing or malformed pack is refused with its file named, and nothing is merged', async () => {
  const folder = path.join(dir, 'images-c');
  await writeImageFolder(folder, 2);
  const c = await site('site-c', folder, [['dana', 'img-0000.png', 30]]);
  const page = await openApp(c.backend, '#/agreement');
  const missing = path.join(dir, 'no-such-pack.json');
  await page.fill('[name=pack-merge-path]', missing);
  await page.click('[data-testid=merge-pack]');
  await page.locator('[data-testid=error]', { hasText: `label pack not found: ${missing}` }).waitFor();
  const bad = path.join(dir, 'not-a-pack.json');
  fs.writeFileSync(bad, JSON.stringify({ hello: 'world' }));
  await page.fill('[name=pack-merge-path]', bad);
  await page.click('[data-testid=merge-pack]');
  await page.locator('[data-testid=error]', { hasText: `${bad} is not a Farpoint label pack` }).waitFor();
  assert.equal(await page.locator('[data-testid=merge-report]').count(), 0);
  assert.deepEqual(await currentLabel(c.backend, c.ids.get('img-0000.png')!), { angle: 30, angleSource: 'hand' });
});

/** Read after the page has shown the change, so the request behind it has been answered. */
async function currentLabel(backend: TestBackend, id: number): Promise<{ angle: number | null; angleSource: string | null }> {
  const s = await call<SampleInfo>(backend, 'getSample', { id });
  return { angle: s.angle, angleSource: s.angleSource };
}
