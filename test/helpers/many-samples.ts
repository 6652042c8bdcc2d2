import { appendAnnotation } from '../../src/main/store/annotations';
import { importedSampleWriter } from '../../src/main/store/imported-samples';
import { Project } from '../../src/main/store/project';
import { changeStatus } from '../../src/main/store/status-changes';

/** How a many-sample project is spread over the listing filters. */
export interface ManySamplesPlan {
  count: number;
  /** Sample ids (1-based) that get a hand label. */
  labeled: (id: number) => boolean;
  /** Sample ids that are excluded from the pool. */
  excluded: (id: number) => boolean;
}

/**
 * A real project file of `count` sample rows (ids 1..count) written through
 * the import's own writer with one tiny shared thumbnail, some labeled and
 * some excluded: what listing and paging cost at a million rows without
 * decoding a million images.
 */
export function writeManySamples(file: string, plan: ManySamplesPlan): void {
  const project = Project.create(file);
  const { db } = project;
  const thumbnail = { width: 1, height: 1, mime: 'image/png', data: Buffer.from([0]) };
  try {
    const writer = importedSampleWriter(db, 'auto');
    const batch = 50_000;
    for (let start = 1; start <= plan.count; start += batch) {
      db.transaction(() => {
        for (let id = start; id < Math.min(plan.count + 1, start + batch); id++) {
          const name = `/images/${String(Math.floor(id / 1000)).padStart(4, '0')}/img-${String(id).padStart(7, '0')}.png`;
          writer.insert({ path: name, contentHash: `hash-${id}`, width: 64, height: 64, channels: 1, bitDepth: 8, format: 'png', thumbnail }, 'now');
        }
      })();
    }
    const excluded: number[] = [];
    db.transaction(() => {
      for (let id = 1; id <= plan.count; id++) {
        if (plan.labeled(id)) appendAnnotation(db, { sampleId: id, angle: id % 360, action: 'set', source: 'hand', author: 'many-samples', queueRank: null, strategy: null });
        if (plan.excluded(id)) excluded.push(id);
      }
    })();
    changeStatus(db, excluded, 'excluded', 'many-samples plan');
  } finally {
    project.close();
  }
}
