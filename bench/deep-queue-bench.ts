import os from 'node:os';
import { SelectionService } from '../src/main/stages/select/selection-service';
import { Project } from '../src/main/store/project';

/**
 * The work behind a jump deep into a large project's queue, in this process
 * as the queue job does it in the compute worker: the matrix loaded and the
 * queue state built, then the FPS order computed to DEPTH, with its time at
 * every tenth of the way. The orders a queue job stored are hidden inside a
 * transaction rolled back at the end, so the order is computed, not read,
 * and nothing in the project changes.
 * `npm run bench -- deep-queue FILE [DEPTH]` (DEPTH defaults to 50,000; the
 * million bench's project: `--dir DIR --keep`, then DIR/million.farpoint).
 */
export async function run(args: string[]): Promise<void> {
  const file = args[0];
  if (!file) throw new Error('usage: npm run bench -- deep-queue FILE [DEPTH]');
  const depth = Number(args[1] ?? 50_000);
  const project = Project.open(file);
  project.db.exec('BEGIN');
  try {
    project.db.prepare('DELETE FROM queue_orders').run();
    const service = new SelectionService(project.db);
    const clock = () => ({ wall: performance.now(), cpu: cpuMs() });
    const since = (t: { wall: number; cpu: number }) => `${((performance.now() - t.wall) / 1000).toFixed(1)} s wall / ${((cpuMs() - t.cpu) / 1000).toFixed(1)} s CPU`;
    console.log(`deep-queue: ${file}, FPS to rank ${depth.toLocaleString()}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
    let t = clock();
    const head = service.page('fps', 0, 1);
    console.log(`deep-queue: matrix loaded and queue built (${head.total.toLocaleString()} to label), first pick: ${since(t)}`);
    t = clock();
    for (let k = 1; k <= 10; k++) {
      const rank = Math.round((depth * k) / 10);
      service.page('fps', rank - 1, 1);
      console.log(`deep-queue: rank ${rank.toLocaleString()} computed ${since(t)} after the first pick; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    }
  } finally {
    project.db.exec('ROLLBACK');
    project.close();
  }
}

function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
