import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { saveHandLabel } from '../src/main/store/annotations';
import { checkIntegrity } from '../src/main/store/integrity';
import { Project } from '../src/main/store/project';
import { createSyntheticProject } from '../test/soak/support/synthetic-project';

/**
 * The integrity check a project runs when it opens (the critical tables) and
 * `farpoint check`'s whole-file check, at 100,000 samples with thumbnails,
 * 32-d embeddings and 5,000 labels; goal ≤ 1 s on open. Each is timed cold
 * (first run after opening) and warm. `npm run bench -- integrity [count] [folder]`.
 */
export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 100_000);
  const root = fs.mkdtempSync(path.join(args[1] ?? os.tmpdir(), 'farpoint-integrity-bench-'));
  try {
    const file = path.join(root, 'p.farpoint');
    await createSyntheticProject(file, count, { embeddingDim: 32 });
    const labeling = Project.open(file);
    for (let i = 1; i <= Math.min(5000, count); i++) saveHandLabel(labeling.db, 'bench', { sampleId: i, angle: i % 360, queueRank: i, strategy: 'fps' });
    labeling.close();
    console.log(`integrity: ${count.toLocaleString()} samples, file ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
    for (const scope of ['critical tables', 'whole file'] as const) {
      const project = Project.open(file);
      const cold = checkIntegrity(project.db, scope);
      const warm = checkIntegrity(project.db, scope);
      project.close();
      const problems = cold.problems.length === 0 ? 'no damage' : `${cold.problems.length} problems`;
      console.log(`integrity: ${scope.padEnd(16)} first ${cold.seconds.toFixed(3)} s, again ${warm.seconds.toFixed(3)} s (${problems})${scope === 'critical tables' ? '  <- on open, goal <= 1 s' : '  <- farpoint check'}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
