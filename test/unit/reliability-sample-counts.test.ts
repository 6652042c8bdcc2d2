import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { clearLabel, saveHandLabel, setSampleStatus, undoLastHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { listSamplePage, type SampleFilter } from '../../src/main/store/sample-pages';
import { countSamples } from '../../src/main/store/samples';
import { tempDir } from '../helpers/temp';
import { SeededRandom } from '../soak/support/seeded-random';
import { createSyntheticProject } from '../soak/support/synthetic-project';

/** The totals listSamplePage and the status report equal plain full counts, for every filter, through labels, clears, undos and exclusions. */
test('listSamplePage totals and status counts, counted without full scans, match plain counts at every step', async () => {
  const file = path.join(tempDir(), 'counts.farpoint');
  await createSyntheticProject(file, 300);
  const project = Project.open(file);
  const { db } = project;
  const rng = new SeededRandom(11);
  const filterSql: Record<SampleFilter, string> = {
    all: '1',
    active: "s.status = 'active'",
    excluded: "s.status = 'excluded'",
    labeled: 'l.angle IS NOT NULL',
    unlabeled: "l.angle IS NULL AND s.status = 'active'",
  };
  try {
    for (let step = 0; step < 400; step++) {
      const id = rng.int(1, 300);
      const roll = rng.int(0, 9);
      if (roll < 6) saveHandLabel(db, 't', { sampleId: id, angle: rng.int(0, 359), queueRank: null, strategy: null });
      else if (roll === 6) clearLabel(db, 't', id);
      else if (roll === 7) undoLastHandLabel(db, 't');
      else setSampleStatus(db, [id], rng.pick(['active', 'excluded']));
      if (step % 20 !== 0) continue;
      for (const filter of Object.keys(filterSql) as SampleFilter[]) {
        const joined = db.prepare(`SELECT COUNT(*) FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id WHERE ${filterSql[filter]}`).pluck().get();
        assert.equal(listSamplePage(db, filter, null, 1).total, joined, `step ${step}, filter ${filter}`);
      }
      const plain = db
        .prepare(
          `SELECT COUNT(*) AS samples, COALESCE(SUM(status = 'active'), 0) AS active, COALESCE(SUM(status = 'excluded'), 0) AS excluded,
                  (SELECT COUNT(*) FROM current_labels) AS labeled FROM samples`,
        )
        .get();
      assert.deepEqual({ ...countSamples(db) }, { ...(plain as object) }, `step ${step}: status counts`);
    }
  } finally {
    project.close();
  }
});
