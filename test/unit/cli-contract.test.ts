import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { requests } from '../../src/shared/contract';
import { trainingArgs } from '../../src/shared/contract/ml-requests';
import type { LatentMap } from '../../src/shared/domain';
import { schemaIntOption, schemaNumberOption, type CommandContext } from '../../src/main/doors/cli/command';
import { FarpointError } from '../../src/main/core/errors';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function context(options: Record<string, string>): CommandContext {
  return { positionals: [], options, json: false, out: { result: () => undefined, note: () => undefined, progress: () => undefined } };
}

test("an option filling a request's field takes its range and rules from the request's schema", () => {
  assert.equal(schemaIntOption(context({ epochs: '7' }), 'epochs', trainingArgs.shape.epochs), 7);
  assert.equal(schemaIntOption(context({}), 'epochs', trainingArgs.shape.epochs), undefined);
  assert.throws(() => schemaIntOption(context({ epochs: '10001' }), 'epochs', trainingArgs.shape.epochs), (err: unknown) => {
    assert.ok(err instanceof FarpointError);
    assert.equal(err.message, "--epochs must be an integer from 1 to 10000, got '10001'");
    return true;
  });
  assert.throws(() => schemaIntOption(context({ size: '40' }), 'size', trainingArgs.shape.inputSize), /^FarpointError: --size: the input size must be a multiple of 16$/);
  const tolerance = requests.listLabelConflicts.arg.shape.tolerance;
  assert.equal(schemaNumberOption(context({ tolerance: '2.5' }), 'tolerance', tolerance), 2.5);
  assert.throws(() => schemaNumberOption(context({ tolerance: '181' }), 'tolerance', tolerance), /--tolerance must be a number from 0 to 180, got '181'/);
});

test('farpoint map asks the contract for the map and waits for the map job it starts, then prints it', () => {
  const project = Project.create(path.join(dir, 'map.farpoint'));
  const { db } = project;
  const count = 30;
  db.transaction(() => {
    const addSample = db.prepare("INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')");
    const model = Number(db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{}', 'cpu', 'now')").run().lastInsertRowid);
    const addVector = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    for (let i = 0; i < count; i++) {
      const id = Number(addSample.run(`/images/img-${i}.png`, `hash-${i}`).lastInsertRowid);
      const vector = Float32Array.from([i, (i * 7) % 5, Math.sin(i)]);
      addVector.run(model, id, Buffer.from(vector.buffer));
    }
    setCurrentModelId(db, model);
  })();
  project.close();

  const human = runCli(['map', project.path]);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /^latent map of model 1: 30 samples, 3 dimensions$/m);
  const json = runCli(['map', project.path, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const map = JSON.parse(json.stdout) as Omit<LatentMap, 'ids'> & { ids: number[] };
  assert.equal(map.state, 'ready', 'the projection the job stored');
  assert.equal(map.ids.length, count);
});

test('farpoint map of a project without embeddings says what to run', () => {
  const empty = Project.create(path.join(dir, 'empty.farpoint'));
  empty.close();
  const run = runCli(['map', empty.path]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /has no embeddings yet: run farpoint train and farpoint embed first/);
});
