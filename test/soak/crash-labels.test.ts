import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import type { AnnotationRecord } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { labelBurst } from './support/label-burst';
import { assertAcknowledgedPresent, assertIntegrity } from './support/project-checks';
import { assertQueueConsistent } from './support/queue-checks';
import { SeededRandom } from './support/seeded-random';
import { startServerProcess } from './support/server-process';
import { SOAK_SEED, soakCount } from './support/soak-counts';
import { createSyntheticProject } from './support/synthetic-project';

const BURST = 500;
const SAMPLES = 200;

test('a burst of labels survives SIGKILL of the back end at random points: every acknowledged save is stored with its history', async () => {
  const runs = soakCount(3, 20);
  const rng = new SeededRandom(SOAK_SEED);
  const projectPath = path.join(tempDir(), 'labels.farpoint');
  // Synthetic embeddings give the queue a latent space, so the FPS order is checked after every kill.
  await createSyntheticProject(projectPath, SAMPLES, { embeddingDim: 8 });

  // Acknowledgements of every run so far: a later kill must not lose an earlier run's labels either.
  const everAcknowledged: AnnotationRecord[] = [];
  let survived = 0;
  let unanswered = 0;
  const queueChecks: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const killAfter = rng.int(0, BURST - 1);
    const server = await startServerProcess(projectPath);
    // The previous run's kill (if any) left the file as it was: the queue a fresh back end serves must agree with the labels.
    queueChecks.push(await assertQueueConsistent(server, projectPath, `before run ${run}`));
    let killing: Promise<void> | null = null;
    const kill = () => {
      // A random sub-millisecond-to-few-ms offset lands the kill inside the handling of other in-flight saves.
      killing ??= new Promise<void>((resolve) => setTimeout(resolve, rng.int(0, 3))).then(() => server.kill());
    };
    if (killAfter === 0) kill();
    const outcome = await labelBurst(server, rng, {
      total: BURST,
      concurrency: 8,
      sampleCount: SAMPLES,
      afterAck: (count) => {
        if (count >= killAfter) kill();
      },
    });
    kill();
    await killing;
    assert.deepEqual(outcome.unexpected, [], `run ${run}: answers that were neither a result nor a kill`);
    everAcknowledged.push(...outcome.acknowledged);
    unanswered += outcome.unanswered;

    const project = Project.open(projectPath);
    try {
      const where = `run ${run} (seed ${SOAK_SEED}, killed after ${killAfter} acknowledgements)`;
      assertIntegrity(project.db, where);
      assertAcknowledgedPresent(project.db, everAcknowledged, where);
    } finally {
      project.close();
    }
    survived++;
  }
  const last = await startServerProcess(projectPath);
  try {
    queueChecks.push(await assertQueueConsistent(last, projectPath, 'after the last kill'));
  } finally {
    await last.stop();
  }
  console.log(`crash-labels: queue after each kill: ${queueChecks[queueChecks.length - 1]}`);
  console.log(`crash-labels: kills survived ${survived}/${runs}; ${everAcknowledged.length} acknowledged saves all present; ${unanswered} requests in flight at a kill`);
  assert.equal(survived, runs);
});
