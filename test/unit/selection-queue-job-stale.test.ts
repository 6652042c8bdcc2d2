import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { SelectionService } from '../../src/main/stages/select/selection-service';
import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

function makeProject(file: string, n: number, dim: number): void {
  const random = seededRandom(3);
  writeEmbeddedProject(file, n, () => Float32Array.from({ length: dim }, () => random()));
}

/**
 * The queue job computes an order for one state of the project. A label saved
 * meanwhile (by the server, another connection) makes it stale: the job stops
 * at its next chunk instead of computing the rest of an order nobody can use
 * (at 100,000 samples, minutes of the compute worker that later jobs waited for).
 */
test('a queue job stops at its next chunk once the project has moved on, and computes only as deep as asked', async () => {
  const n = 3000;
  const file = path.join(tempDir(), 'stale.farpoint');
  makeProject(file, n, 8);
  const worker = Project.open(file);
  const server = Project.open(file);
  try {
    const deep = await new SelectionService(worker.db).computeFullOrder(() => undefined, () => false, 'fps', 500);
    assert.equal(deep.computed, 500, 'asked for a head of 500 entries');
    assert.equal(deep.stale, false);

    let chunks = 0;
    const summary = await new SelectionService(worker.db).computeFullOrder(
      () => {
        if (chunks++ === 0) saveHandLabel(server.db, 'someone', { sampleId: 1234, angle: 90, queueRank: null, strategy: 'fps' });
      },
      () => false,
      'fps',
    );
    assert.equal(summary.stale, true, 'the job noticed the label');
    assert.equal(chunks, 1, 'and stopped after the chunk during which it was saved');
    assert.ok(summary.computed < n, `it computed ${summary.computed} of ${n} entries`);
  } finally {
    worker.close();
    server.close();
  }
});
