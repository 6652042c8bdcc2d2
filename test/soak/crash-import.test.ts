import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { runCli, spawnCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { writeNumberedImages } from './support/numbered-images';
import { waitForCount } from './support/poll-count';
import { assertIntegrity } from './support/project-checks';
import { SeededRandom } from './support/seeded-random';
import { SOAK_SEED, FULL_SOAK, soakCount } from './support/soak-counts';

const IMAGES = FULL_SOAK ? 2000 : 200;

interface Counts {
  samples: number;
  paths: number;
  hashes: number;
  thumbnails: number;
  orphans: number;
}

function counts(file: string, where: string): Counts {
  const project = Project.open(file);
  try {
    assertIntegrity(project.db, where);
    return project.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM samples) AS samples,
                (SELECT COUNT(DISTINCT path) FROM samples) AS paths,
                (SELECT COUNT(DISTINCT content_hash) FROM samples) AS hashes,
                (SELECT COUNT(*) FROM thumbnails) AS thumbnails,
                (SELECT COUNT(*) FROM samples s WHERE NOT EXISTS (SELECT 1 FROM thumbnails t WHERE t.sample_id = s.id)) AS orphans`,
      )
      .get() as Counts;
  } finally {
    project.close();
  }
}

test(`an import of ${IMAGES} images killed with SIGKILL at random points resumes and completes without duplicates`, async () => {
  const runs = soakCount(3, 20);
  const rng = new SeededRandom(SOAK_SEED + 1);
  const dir = tempDir();
  const images = path.join(dir, 'images');
  await writeNumberedImages(images, IMAGES, 64);

  let survived = 0;
  let partial = 0;
  for (let run = 1; run <= runs; run++) {
    const projectPath = path.join(dir, `run-${run}.farpoint`);
    // Most kills land while chunks are being committed; one in five during start-up or the folder scan.
    const target = rng.chance(0.2) ? 0 : rng.int(1, IMAGES - 1);
    const child = spawnCli(['import', projectPath, images]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const reached = await waitForCount(projectPath, 'SELECT COUNT(*) FROM samples', target, () => child.exitCode !== null);
    if (target === 0) await new Promise((resolve) => setTimeout(resolve, rng.int(0, 400)));
    else await new Promise((resolve) => setTimeout(resolve, rng.int(0, 5)));
    child.kill('SIGKILL');
    await exited;
    assert.ok(reached !== -1 || child.signalCode === 'SIGKILL', `run ${run}: the import ended by itself before the kill: ${stderr.slice(-500)}`);

    const where = `run ${run} (seed ${SOAK_SEED + 1}, killed at ${target} samples)`;
    const afterKill = counts(projectPath, where);
    assert.equal(afterKill.paths, afterKill.samples, `${where}: duplicate paths`);
    assert.equal(afterKill.hashes, afterKill.samples, `${where}: duplicate content`);
    assert.equal(afterKill.orphans, 0, `${where}: samples without a thumbnail (a chunk was half-committed)`);
    if (afterKill.samples > 0 && afterKill.samples < IMAGES) partial++;

    const resumed = runCli(['import', projectPath, images, '--json']);
    assert.equal(resumed.status, 0, `${where}: the resumed import failed: ${resumed.stderr}`);
    const summary = JSON.parse(resumed.stdout) as { imported: number; alreadyPresent: number; skipped: unknown[] };
    assert.equal(summary.imported + summary.alreadyPresent, IMAGES, `${where}: resumed import accounted for ${summary.imported} + ${summary.alreadyPresent}`);
    assert.equal(summary.alreadyPresent, afterKill.samples, `${where}: the resume re-imported files already stored`);
    assert.deepEqual(summary.skipped, [], `${where}: files skipped on resume`);
    const final = counts(projectPath, `${where}, after resume`);
    assert.deepEqual(final, { samples: IMAGES, paths: IMAGES, hashes: IMAGES, thumbnails: IMAGES, orphans: 0 }, `${where}: after resume`);
    survived++;
  }
  console.log(`crash-import: kills survived ${survived}/${runs} (${partial} landed mid-import) on ${IMAGES} images`);
  assert.equal(survived, runs);
});
