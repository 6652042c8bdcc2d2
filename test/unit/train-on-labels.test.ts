import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainOnLabels } from '../../src/main/stages/evaluate/train-on-labels';
import { clearLabel } from '../../src/main/store/annotations';
import { currentRegressorId, predictionFor } from '../../src/main/store/prediction-store';
import { Project } from '../../src/main/store/project';
import { generatedProject } from './evaluation-fixture';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

test('"train on my labels" stores a ready regressor with how it was trained, makes it current, and predicts every unlabeled sample', async () => {
  const { file, images } = await generatedProject(dir, 'suggest');
  const project = Project.open(file);
  try {
    const { db } = project;
    const unlabeled = db.prepare('SELECT id FROM samples ORDER BY id LIMIT 3').pluck().all() as number[];
    for (const id of unlabeled) clearLabel(db, 'tester', id);
    const summary = await trainOnLabels(db, { inputSize: 8, steps: 2, seed: 1 });
    assert.deepEqual([summary.trainedOn, summary.predicted], [images - 3, 3]);
    assert.ok(summary.holdout, 'ten labels or more: scored on a held-out tenth');
    assert.equal(currentRegressorId(db), summary.modelId);
    for (const id of unlabeled) {
      const prediction = predictionFor(db, id)!;
      assert.equal(prediction.modelId, summary.modelId);
      assert.ok(Number.isFinite(prediction.angle) && prediction.angle >= 0 && prediction.angle < 360);
    }
    const row = db.prepare('SELECT kind, state, settings, created_at, finished_at, topology, weights FROM models WHERE id = ?').get(summary.modelId) as {
      kind: string; state: string; settings: string; created_at: string; finished_at: string; topology: string; weights: Buffer;
    };
    assert.deepEqual([row.kind, row.state, row.finished_at], ['regressor', 'ready', row.created_at]);
    assert.deepEqual(JSON.parse(row.settings), { inputSize: 8, steps: 2, seed: 1, angleMode: 'full', trainedOn: images - 3, holdout: summary.holdout });
    assert.equal(typeof (JSON.parse(row.topology) as { class_name?: unknown }).class_name, 'string', 'the topology is TensorFlow.js JSON');
    assert.ok(row.weights.length > 0);
  } finally {
    project.close();
  }
});
