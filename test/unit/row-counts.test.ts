import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { EMBEDDED_OUT_OF_QUEUE_SQL, embeddedOutOfQueue, readStamp } from '../../src/main/store/queue-inputs';
import { saveHandLabel } from '../../src/main/store/annotations';
import { changeStatus } from '../../src/main/store/status-changes';
import { embeddingCount, sampleCounts } from '../../src/main/store/row-counts';
import { setCurrentModelId } from '../../src/main/store/settings';
import { recoverProject } from '../../src/main/store/recover';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const vector = (i: number) => Float32Array.of(i, 1, 2, 3);

/** Every statement a connection prepares from now on. */
function recordStatements(project: Project): string[] {
  const seen: string[] = [];
  const prepare = project.db.prepare.bind(project.db);
  project.db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof project.db.prepare;
  return seen;
}

/**
 * The status the app asks for on opening a project, and the stamp the queue
 * reads after every write, must not count the pool row by row: COUNT(*) over
 * embeddings reads every vector, which a million samples make seconds.
 */
test("a project's status and queue stamp count samples and embeddings without reading every row", () => {
  const file = path.join(tempDir(), 'counts.farpoint');
  writeEmbeddedProject(file, 50, vector);
  const project = Project.open(file);
  try {
    const seen = recordStatements(project);
    const status = project.status();
    const stamp = readStamp(project.db);
    assert.equal(status.samples, 50);
    assert.equal(status.embedded, 50);
    assert.equal(stamp.embeddings, 50);
    const scans = seen.filter((sql) => /COUNT\(\*\)[^;]*FROM\s+(embeddings|samples)\b/i.test(sql));
    assert.deepEqual(scans, [], 'no statement counts every sample or embedding');
  } finally {
    project.close();
  }
});

test('the kept counts follow inserts, upserts, exclusions, cascaded deletes, a migration and a recovery', () => {
  const dir = tempDir();
  const file = path.join(dir, 'kept.farpoint');
  writeEmbeddedProject(file, 30, vector);
  const project = Project.open(file);
  try {
    const db = project.db;
    const model = db.prepare('SELECT id FROM models').pluck().get() as number;
    assert.equal(embeddingCount(db, model), 30);
    // Writing a sample's vector again replaces it: still one.
    db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, 1, ?) ON CONFLICT(model_id, sample_id) DO UPDATE SET vector = excluded.vector').run(model, Buffer.alloc(16));
    assert.equal(embeddingCount(db, model), 30);
    changeStatus(db, [1, 2, 3], 'excluded', 'test');
    changeStatus(db, [3], 'active', 'test');
    assert.deepEqual(sampleCounts(db), { active: 28, excluded: 2 });
    assert.deepEqual(project.status().active, 28);
    // The samples' own rows are the truth.
    assert.equal(db.prepare("SELECT COUNT(*) FROM samples WHERE status = 'excluded'").pluck().get(), 2);
    db.prepare('DELETE FROM models WHERE id = ?').run(model);
    assert.equal(embeddingCount(db, model), 0, 'a deleted model takes its embeddings, by cascade, and their count');
  } finally {
    project.close();
  }

  // A file written before the counts existed: the migration counts what is there.
  const old = path.join(dir, 'old.farpoint');
  const before = Project.open(old, { create: true, targetVersion: 16 });
  before.close();
  writeEmbeddedProjectInto(old, 12);
  const migrated = Project.open(old);
  try {
    assert.equal(migrated.status().embedded, 12);
    assert.deepEqual(sampleCounts(migrated.db), { active: 12, excluded: 0 });
  } finally {
    migrated.close();
  }

  // A recovered copy counts the rows it copied, once.
  const recovered = path.join(dir, 'recovered.farpoint');
  recoverProject(old, recovered);
  const copy = Project.open(recovered);
  try {
    assert.equal(copy.status().embedded, 12);
    assert.equal(copy.status().samples, 12);
  } finally {
    copy.close();
  }
});

/** Samples with vectors written straight into a file at its own schema version (no migration). */
function writeEmbeddedProjectInto(file: string, count: number): void {
  const project = Project.open(file, { targetVersion: 16 });
  try {
    const db = project.db;
    const model = Number(db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'cpu', 'now')").run().lastInsertRowid);
    setCurrentModelId(db, model);
    for (let i = 0; i < count; i++) {
      const id = Number(db.prepare("INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')").run(`/i/${i}.png`, `h${i}`).lastInsertRowid);
      db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)').run(model, id, Buffer.from(vector(i).buffer));
    }
  } finally {
    project.close();
  }
}

/**
 * While a large pool's queue is built, each page counts the embedded samples
 * out of the queue (labeled or excluded). That count must start from the few
 * labels and exclusions and look each vector up by its key: as a join SQLite
 * scanned the model's every vector, a long task on the server's thread at a
 * million samples.
 */
test('the embedded samples out of the queue are counted from the labels and exclusions, each vector looked up by its key', () => {
  const file = path.join(tempDir(), 'out-of-queue.farpoint');
  writeEmbeddedProject(file, 2_000, vector);
  const project = Project.open(file);
  try {
    for (const id of [3, 7, 11]) saveHandLabel(project.db, 'test', { sampleId: id, angle: 10, queueRank: null, strategy: 'fps' });
    changeStatus(project.db, [7, 20, 21], 'excluded', 'test');
    assert.equal(embeddedOutOfQueue(project.db, 1), 5);
    const plan = (project.db.prepare(`EXPLAIN QUERY PLAN ${EMBEDDED_OUT_OF_QUEUE_SQL}`).all(1) as { detail: string }[]).map((r) => r.detail);
    assert.ok(plan.some((d) => /SEARCH e .*USING PRIMARY KEY \(model_id=\? AND sample_id=\?\)/.test(d)), plan.join(' | '));
    assert.ok(!plan.some((d) => /^(SCAN|SEARCH) e USING PRIMARY KEY \(model_id=\?\)$/.test(d)), `reads every vector of the model: ${plan.join(' | ')}`);
  } finally {
    project.close();
  }
});
