import { Project } from '../../../src/main/store/project';
import { trainAutoencoder } from '../../../src/main/stages/train/train';
import { createSyntheticProject } from './synthetic-project';

export const LOAD_INPUT = { inputSize: 32, channels: 1 as const, latentDim: 8 };

/**
 * A large project ready for an embedding job, built without decoding a file:
 * synthetic samples with thumbnails, their model inputs written into the
 * pixel cache (the embedding job reads those instead of the files), and a
 * small autoencoder trained on 64 of them. Returns the model's id.
 */
export async function createLoadProject(file: string, count: number): Promise<number> {
  await createSyntheticProject(file, count);
  const project = Project.open(file);
  try {
    const db = project.db;
    const bytes = LOAD_INPUT.inputSize * LOAD_INPUT.inputSize;
    const insert = db.prepare('INSERT INTO pixel_cache (sample_id, size, channels, content_hash, data) VALUES (?, ?, ?, ?, ?)');
    const batch = db.transaction((from: number, to: number) => {
      const pixels = Buffer.alloc(bytes);
      for (let id = from; id <= to; id++) {
        // A bright square whose place depends on the id: distinct inputs, so the latent space has some spread.
        pixels.fill(30);
        const x = (id * 7) % 24;
        const y = (id * 13) % 24;
        for (let r = y; r < y + 8; r++) pixels.fill(220, r * 32 + x, r * 32 + x + 8);
        insert.run(id, LOAD_INPUT.inputSize, LOAD_INPUT.channels, `hash-${id}`, pixels);
      }
    });
    for (let from = 1; from <= count; from += 10_000) batch.immediate(from, Math.min(count, from + 9_999));
    // Train on 64 samples only (the others excluded for the while), one epoch: the job under test is the embedding.
    db.prepare("UPDATE samples SET status = 'excluded' WHERE id > 64").run();
    const trained = await trainAutoencoder(db, { ...LOAD_INPUT, epochs: 1, batchSize: 32, seed: 5 });
    db.prepare("UPDATE samples SET status = 'active'").run();
    return trained.modelId;
  } finally {
    project.close();
  }
}
