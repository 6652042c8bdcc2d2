import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Project } from '../src/main/store/project';
import { listSamplePage, sampleKeyAt, type SampleFilter } from '../src/main/store/sample-pages';
import { writeManySamples } from '../test/helpers/many-samples';

/**
 * `npm run bench -- sample-pages [N] [--file F]` (N defaults to 1,000,000):
 * a real project file of N sample rows (every 500th labeled, every 997th and
 * a run near the end excluded), and per listing filter the CPU time of a page
 * of 200 at 90 % of the list three ways: OFFSET (how listSamples paged
 * before), a key page after the previous page's last id, and a jump
 * (position → key, then a key page); beside them, what an in-memory list of
 * every id would cost to rebuild. `--file F` keeps the project at F and
 * reuses it when it is there.
 */
export async function run(args: string[]): Promise<void> {
  const n = Number(args[0] && !args[0].startsWith('--') ? args[0] : 1_000_000);
  const kept = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;
  const dir = kept ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-pages-'));
  const file = kept ?? path.join(dir!, 'pages.farpoint');
  try {
    if (!fs.existsSync(file)) {
      const started = performance.now();
      writeManySamples(file, { count: n, labeled: (id) => id % 500 === 7, excluded: (id) => id % 997 === 3 || (id > n * 0.99 && id % 3 === 0) });
      console.log(`project: ${n.toLocaleString()} sample rows written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const project = Project.open(file);
    const { db } = project;
    console.log(`sample pages: ${n.toLocaleString()} samples, pages of 200 at 90 % of each list; CPU ms of this process, median of 5; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`);
    console.log(['filter', 'rows', 'OFFSET page', 'key page', 'jump', 'id list rebuild'].map((h, i) => (i === 0 ? h.padEnd(10) : h.padStart(16))).join(''));
    // The listing before key paging: the whole join stepped over up to the offset.
    const offsetWhere: Record<SampleFilter, string> = {
      all: '1',
      active: "s.status = 'active'",
      excluded: "s.status = 'excluded'",
      labeled: 'l.angle IS NOT NULL',
      unlabeled: "l.angle IS NULL AND s.status = 'active'",
    };
    for (const filter of Object.keys(offsetWhere) as SampleFilter[]) {
      const total = listSamplePage(db, filter, null, 1).total!;
      const at = Math.floor(total * 0.9);
      const offsetPage = db.prepare(
        `SELECT s.id, s.path, s.content_hash, s.width, s.height, s.channels, s.bit_depth, s.format, s.status, l.angle, l.source
         FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id WHERE ${offsetWhere[filter]} ORDER BY s.id LIMIT 200 OFFSET ?`,
      );
      const before = sampleKeyAt(db, filter, at - 1)!;
      const figures = [
        cpuMs(() => offsetPage.all(at)),
        cpuMs(() => listSamplePage(db, filter, { after: before }, 200)),
        cpuMs(() => listSamplePage(db, filter, { at }, 200)),
        cpuMs(() => Int32Array.from(db.prepare(`SELECT s.id FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id WHERE ${offsetWhere[filter]} ORDER BY s.id`).pluck().all() as number[])),
      ];
      const same = JSON.stringify((offsetPage.all(at) as { id: number }[]).map((r) => r.id)) === JSON.stringify(listSamplePage(db, filter, { at }, 200).samples.map((s) => s.id));
      console.log([filter.padEnd(10), total.toLocaleString().padStart(16), ...figures.map((f) => f.toFixed(1).padStart(16))].join('') + (same ? '' : '  (pages differ!)'));
    }
    project.close();
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Median CPU time of five runs (ms): wall time swings with the shared machine's load. */
function cpuMs(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((a, b) => a - b)[2]!;
}
