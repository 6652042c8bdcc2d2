import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';

/**
 * A real project file of `count` samples (ids 1..count), each embedded by one
 * 'ready' model made current: sample i + 1 gets `vectorOf(i)`. What the queue
 * tests need without importing or training anything.
 */
export function writeEmbeddedProject(file: string, count: number, vectorOf: (i: number) => Float32Array): void {
  const project = Project.create(file);
  try {
    project.db.transaction(() => {
      const addSample = project.db.prepare(
        "INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')",
      );
      const model = Number(
        project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'cpu', 'now')").run().lastInsertRowid,
      );
      const addVector = project.db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
      for (let i = 0; i < count; i++) {
        const id = Number(addSample.run(`/images/${i}.png`, `h${i}`).lastInsertRowid);
        const vector = vectorOf(i);
        addVector.run(model, id, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      }
      setCurrentModelId(project.db, model);
    })();
  } finally {
    project.close();
  }
}
