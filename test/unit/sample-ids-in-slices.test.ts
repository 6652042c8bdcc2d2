import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { allSampleIds, allSampleIdsInSlices } from '../../src/main/store/queue-inputs';
import { tempDir } from '../helpers/temp';

test('sample ids read in slices: every id in ascending order, one yield between slices, the same as one read', () => {
  const project = Project.create(path.join(tempDir(), 'ids.farpoint'));
  try {
    const insert = project.db.prepare(
      "INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')",
    );
    for (let i = 0; i < 10; i++) insert.run(`/images/${i}.png`, `hash-${i}`);
    // A gap in the ids: keyset paging must not assume they are dense.
    project.db.prepare('DELETE FROM samples WHERE id IN (4, 5)').run();
    const steps = allSampleIdsInSlices(project.db, 3);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    assert.deepEqual(Array.from(step.value), [1, 2, 3, 6, 7, 8, 9, 10]);
    assert.equal(yields, 2, 'slices of 3 over 8 ids: two pauses');
    assert.deepEqual(allSampleIds(project.db), step.value);
  } finally {
    project.close();
  }
});
