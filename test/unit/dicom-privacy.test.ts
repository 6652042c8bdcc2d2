import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { exportProject } from '../../src/main/stages/export/export-project';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { updateSettings } from '../../src/main/store/settings';
import { runCli } from '../helpers/cli';
import { PATIENT_ID, PATIENT_NAME, writeDicomCorpus } from '../helpers/dicom-corpus';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
/** The name as it would appear anywhere: whole, its family name alone, the ID and the birth date. */
const SECRETS = [PATIENT_NAME, 'QUINTESSA', PATIENT_ID, '19610203'];

function assertNoSecrets(where: string, bytes: Buffer | string): void {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  for (const secret of SECRETS) {
    for (const encoding of ['latin1', 'utf16le'] as const) {
      assert.equal(buffer.indexOf(Buffer.from(secret, encoding)), -1, `${where} contains '${secret}' (${encoding})`);
    }
  }
}

test('no patient name, ID or birth date in the project file, any export or the command output, unless the project keeps them', async () => {
  const corpus = await writeDicomCorpus(path.join(dir, 'corpus'));
  const project = path.join(dir, 'private.farpoint');
  const imported = runCli(['import', project, corpus.dir]);
  assert.equal(imported.status, 0, imported.stderr);
  assertNoSecrets('import output', imported.stdout + imported.stderr);
  // One export through the command (its file and its output), the other formats in process (the command is slow to start).
  const run = runCli(['export', project, '--format', 'csv', '--out', path.join(dir, 'export.csv')]);
  assert.equal(run.status, 0, run.stderr);
  assertNoSecrets('export output', run.stdout + run.stderr);
  const opened = Project.open(project);
  for (const format of ['json', 'coco'] as const) {
    let text = '';
    exportProject(opened.db, format, (chunk) => (text += chunk));
    fs.writeFileSync(path.join(dir, `export.${format}`), text);
  }
  assertNoSecrets('status', JSON.stringify(opened.status()));
  opened.close();
  for (const format of ['csv', 'json', 'coco']) assertNoSecrets(`${format} export`, fs.readFileSync(path.join(dir, `export.${format}`)));
  // Every byte of the SQLite file and its journal, not just the rows a query would show.
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('private.farpoint'))) assertNoSecrets(file, fs.readFileSync(path.join(dir, file)));

  // The exports trace each row back by UIDs and frame, and state the angle convention.
  const csv = fs.readFileSync(path.join(dir, 'export.csv'), 'utf8');
  assert.match(csv.split('\n')[0]!, /^# farpoint export; angle_deg in degrees; 0 = up .*clockwise/);
  assert.match(csv.split('\n')[1]!, /,frame,study_uid,series_uid,sop_uid$/);
  assert.ok(csv.includes(`${corpus.good.multiFrameRle!.file}#frame=2,,`), 'multi-frame rows');
  assert.match(csv, /,2,1\.2\.826\.0\.1\.3680043\.8\.498\.10,1\.2\.826\.0\.1\.3680043\.8\.498\.11,1\.2\.826\.0\.1\.3680043\.8\.498\.12\.6/);
  const coco = JSON.parse(fs.readFileSync(path.join(dir, 'export.coco'), 'utf8')) as { info: { angle_convention: { direction: string } }; images: { sop_instance_uid?: string; frame_number?: number }[] };
  assert.equal(coco.info.angle_convention.direction, 'clockwise');
  assert.equal(coco.images.filter((i) => i.sop_instance_uid === '1.2.826.0.1.3680043.8.498.12.6').map((i) => i.frame_number).join(','), '1,2,3');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'export.json'), 'utf8')) as { angleConvention: { zero: string }; samples: { dicom?: { sopInstanceUid: string } }[] };
  assert.match(json.angleConvention.zero, /^up/);
  assert.ok(json.samples.every((s) => s.dicom?.sopInstanceUid));

  // Opt-in per project: then the attributes are kept and exported.
  const kept = Project.create(path.join(dir, 'kept.farpoint'));
  updateSettings(kept.db, { keepPatientAttributes: true });
  await importFolder(kept.db, corpus.dir);
  let keptJson = '';
  exportProject(kept.db, 'json', (chunk) => (keptJson += chunk));
  assert.ok(keptJson.includes(PATIENT_NAME), 'a project that keeps patient attributes exports them');
  // Turned off again, exports leave them out although they stay stored.
  updateSettings(kept.db, { keepPatientAttributes: false });
  let offJson = '';
  exportProject(kept.db, 'coco', (chunk) => (offJson += chunk));
  assertNoSecrets('export after turning it off', offJson);
  kept.close();
});
