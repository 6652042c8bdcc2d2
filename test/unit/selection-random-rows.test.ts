import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { seededPermutation } from '../../src/main/core/selection/random-order';
import { SelectionService } from '../../src/main/stages/select/selection-service';
import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { readStamp } from '../../src/main/store/queue-inputs';
import { changeStatus } from '../../src/main/store/status-changes';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const N = 300;
const WITHOUT_VECTOR = [1, 2, 50, 51, 150, 300];
const LABELED = [3, 77, 299];
const EXCLUDED = [4, 51, 200];

/**
 * The random order is every sample id (ascending) permuted by the project's
 * seed, less those without a vector, labeled or excluded. The server builds
 * it in steps (a large pool) and the CLI at once; both must give exactly this
 * order, samples without a vector at either end of the ids included.
 */
test('the random order is the seeded permutation of every sample id, less the unembedded, labeled and excluded ones, built at once or in steps', async () => {
  const file = path.join(tempDir(), 'random-rows.farpoint');
  writeEmbeddedProject(file, N, (i) => Float32Array.of(i, i % 7, 1));
  const project = Project.open(file);
  try {
    project.db.prepare(`DELETE FROM embeddings WHERE sample_id IN (${WITHOUT_VECTOR.join(',')})`).run();
    for (const id of LABELED) saveHandLabel(project.db, 'test', { sampleId: id, angle: 10, queueRank: null, strategy: 'fps' });
    changeStatus(project.db, EXCLUDED, 'excluded', 'test');
    const out = new Set([...WITHOUT_VECTOR, ...LABELED, ...EXCLUDED]);
    const expected = Array.from(seededPermutation(N, readStamp(project.db).randomSeed), (p) => p + 1).filter((id) => !out.has(id));

    const atOnce = new SelectionService(project.db).page('random', 0, N).entries.map((e) => e.sampleId);
    assert.deepEqual(atOnce, expected);
    const inSteps = new SelectionService(project.db, undefined, { sliceBuildPool: 10 });
    inSteps.page('random', 0, 1);
    await inSteps.ready();
    assert.deepEqual(
      inSteps.page('random', 0, N).entries.map((e) => e.sampleId),
      expected,
    );
  } finally {
    project.close();
  }
});
