import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAnnotation, saveHandLabel } from '../src/main/store/annotations';
import { Project } from '../src/main/store/project';
import { createSyntheticProject } from '../test/soak/support/synthetic-project';

/**
 * Hand labels saved per second, one commit each as the UI saves them:
 * synchronous=NORMAL (how labels were committed before: lost on power loss)
 * beside synchronous=FULL (saveHandLabel now: the WAL synced before the
 * label is acknowledged). The figure depends on the disk's sync latency, so
 * run it on the disk the projects live on:
 * `npm run bench -- labels [count] [folder]` (default 2,000 labels, the OS temp folder).
 */
export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 2000);
  const root = fs.mkdtempSync(path.join(args[1] ?? os.tmpdir(), 'farpoint-labels-bench-'));
  try {
    const file = path.join(root, 'labels.farpoint');
    await createSyntheticProject(file, 1000);
    const project = Project.open(file);
    const db = project.db;
    const arg = (i: number) => ({ sampleId: (i % 1000) + 1, angle: (i * 37) % 360, queueRank: i, strategy: 'fps' as const });
    const normal = () => {
      // The commit as it was: NORMAL, the level every other write keeps.
      for (let i = 0; i < count; i++) db.transaction(() => appendAnnotation(db, { ...arg(i), action: 'set', source: 'hand', author: 'bench' })).immediate();
    };
    const full = () => {
      for (let i = 0; i < count; i++) saveHandLabel(db, 'bench', arg(i));
    };
    const time = (work: () => void) => {
      const started = performance.now();
      work();
      return count / ((performance.now() - started) / 1000);
    };
    time(() => normal()); // warm-up: page cache and statement cache
    const before = time(normal);
    const after = time(full);
    project.close();
    console.log(`labels: ${count.toLocaleString()} single-label commits in ${root} (${os.cpus()[0]?.model ?? 'cpu'})`);
    console.log(`labels: synchronous=NORMAL (before)  ${before.toFixed(0).padStart(8)} labels/s`);
    console.log(`labels: synchronous=FULL   (now)     ${after.toFixed(0).padStart(8)} labels/s   (${(after / before).toFixed(2)}× the rate; ${(1000 / after).toFixed(2)} ms per label)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
