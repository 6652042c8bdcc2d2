import sharp from 'sharp';
import { Project } from '../../../src/main/project/project';

/**
 * A project with `count` samples written straight into SQLite (importing
 * 100,000 real files would take the whole CI budget). Each row has a real
 * JPEG thumbnail, so the thumbnail route serves real images.
 */
export async function createSyntheticProject(file: string, count: number): Promise<void> {
  const thumbnails = await Promise.all(
    [0, 1, 2, 3].map((shade) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 40 * shade, g: 90, b: 200 - 40 * shade } } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  );
  const project = Project.create(file);
  try {
    const db = project.db;
    const insertSample = db.prepare(
      `INSERT INTO samples (id, path, content_hash, width, height, channels, bit_depth, format, status, imported_at)
       VALUES (?, ?, ?, 64, 64, 3, 8, 'jpeg', 'active', ?)`,
    );
    const insertThumb = db.prepare("INSERT INTO thumbnails (sample_id, width, height, mime, data) VALUES (?, 64, 64, 'image/jpeg', ?)");
    const now = new Date().toISOString();
    const batch = db.transaction((from: number, to: number) => {
      for (let id = from; id <= to; id++) {
        insertSample.run(id, `/synthetic/sample-${String(id).padStart(7, '0')}.jpg`, `hash-${id}`, now);
        insertThumb.run(id, thumbnails[id % thumbnails.length]!);
      }
    });
    for (let from = 1; from <= count; from += 10_000) batch.immediate(from, Math.min(count, from + 9_999));
  } finally {
    project.close();
  }
}
