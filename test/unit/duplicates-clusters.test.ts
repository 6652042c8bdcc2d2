import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { buildCurrentGraph } from '../../src/main/stages/duplicates/build-current-graph';
import { currentDuplicateIndex, type DuplicateIndexSlot } from '../../src/main/stages/duplicates/duplicate-index';
import { duplicateReport } from '../../src/main/stages/duplicates/duplicate-report';
import { saveThreshold } from '../../src/main/stages/duplicates/threshold-setting';
import { saveEmbeddings } from '../../src/main/store/embedding-store';
import { setSampleStatus } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { addCurrentModel } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function addSample(project: Project, name: string, hash = `hash-${name}`): number {
  const info = project.db
    .prepare("INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'active', '2024-01-01')")
    .run(`/images/${name}.png`, hash);
  return Number(info.lastInsertRowid);
}

/**
 * A 2-D layout with known distances: a pair 0.1 apart, a chain of three
 * 0.3 apart, fourteen identical vectors (more than k = 10), and scattered
 * points at least 5 apart from everything.
 */
function layout(project: Project): Record<string, number> {
  const points: [string, number, number][] = [
    ['pairA', 0, 0],
    ['pairB', 0.1, 0],
    ['chain1', 20, 0],
    ['chain2', 20.3, 0],
    ['chain3', 20.6, 0],
    ...Array.from({ length: 14 }, (_, i): [string, number, number] => [`same${i}`, 40, 40]),
    ...Array.from({ length: 12 }, (_, i): [string, number, number] => [`far${i}`, -50 - 5 * i, 60 + 7 * i]),
  ];
  const ids: Record<string, number> = {};
  for (const [name] of points) ids[name] = addSample(project, name);
  const modelId = addCurrentModel(project.db, 2);
  saveEmbeddings(project.db, modelId, points.map(([name]) => ids[name]!), Float32Array.from(points.flatMap(([, x, y]) => [x, y])), 2);
  return ids;
}

const names = (report: ReturnType<typeof duplicateReport>, ids: Record<string, number>) => {
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return report.clusters.map((c) => c.members.map((m) => byId.get(m.id) ?? `#${m.id}`).sort());
};

test('clusters are connected components of edges within the threshold, with identical vectors joined even beyond k', () => {
  const project = Project.create(path.join(dir, 'components.farpoint'));
  const ids = layout(project);
  buildCurrentGraph(project.db, { k: 10 });

  const tight = duplicateReport(project.db, null, { threshold: 0.2 });
  assert.deepEqual(names(tight, ids), [Array.from({ length: 14 }, (_, i) => `same${i}`).sort(), ['pairA', 'pairB']]);
  assert.equal(tight.clusters[0]!.spread, 0);
  assert.equal(tight.redundantSamples, 13 + 1);

  const wider = duplicateReport(project.db, null, { threshold: 0.31 });
  assert.deepEqual(names(wider, ids)[1], ['chain1', 'chain2', 'chain3'], 'a chain joins through its middle member');
  const chain = wider.clusters[1]!;
  assert.equal(chain.representativeId, ids.chain2, 'the most central member represents the chain');
  assert.ok(Math.abs(chain.spread - 0.3) < 1e-5);
  assert.deepEqual(chain.members.map((m) => m.id), [ids.chain2, ids.chain1, ids.chain3]);

  const zero = duplicateReport(project.db, null, { threshold: 0 });
  assert.deepEqual(names(zero, ids), [Array.from({ length: 14 }, (_, i) => `same${i}`).sort()], 'at 0 only identical vectors are clusters');
  project.close();
});

test('moving the threshold recomputes clusters from the cached graph without a new neighbour search', () => {
  const project = Project.create(path.join(dir, 'cached.farpoint'));
  const ids = layout(project);
  buildCurrentGraph(project.db);
  const cache: DuplicateIndexSlot = { duplicateIndex: null };
  const builtAt = () => project.db.prepare('SELECT built_at FROM neighbour_graphs').pluck().get();
  const before = builtAt();
  const first = duplicateReport(project.db, cache, { threshold: 0.2 });
  const index = cache.duplicateIndex!;
  const neighbours = index.graph.neighbours;
  const second = duplicateReport(project.db, cache, { threshold: 0.5 });
  // The report path has no neighbour search at all: it reads the stored graph once and keeps it.
  assert.equal(cache.duplicateIndex, index, 'the same in-memory index served both thresholds');
  assert.equal(index.graph.neighbours, neighbours, 'the same neighbour lists');
  assert.equal(builtAt(), before, 'the stored graph was not rebuilt');
  assert.equal(first.totalClusters, 2);
  assert.equal(second.totalClusters, 3);
  assert.deepEqual(second.clusters[1]!.members.map((m) => m.id).sort(), [ids.chain1, ids.chain2, ids.chain3].sort());
  project.close();
});

test('byte-identical files are a cluster whether or not they have vectors, and excluded members stay visible', () => {
  const project = Project.create(path.join(dir, 'hash.farpoint'));
  const ids = layout(project);
  const copyA = addSample(project, 'copy-of-far0', 'hash-far0');
  const lonely1 = addSample(project, 'unembedded-1', 'hash-unembedded');
  const lonely2 = addSample(project, 'unembedded-2', 'hash-unembedded');
  buildCurrentGraph(project.db);
  setSampleStatus(project.db, [ids.pairB!], 'excluded');
  const report = duplicateReport(project.db, null, { threshold: 0.2 });
  const clusters = report.clusters.map((c) => c.members.map((m) => m.id).sort((a, b) => a - b));
  assert.ok(clusters.some((c) => JSON.stringify(c) === JSON.stringify([ids.far0, copyA])));
  assert.ok(clusters.some((c) => JSON.stringify(c) === JSON.stringify([lonely1, lonely2])));
  const pair = report.clusters.find((c) => c.members.some((m) => m.id === ids.pairA))!;
  assert.equal(pair.members.find((m) => m.id === ids.pairB)!.status, 'excluded');
  const hashOnly = report.clusters.find((c) => c.members.some((m) => m.id === lonely1))!;
  assert.equal(hashOnly.sameContent, true);
  assert.deepEqual(hashOnly.members.map((m) => m.distance), [null, null]);
  project.close();
});

test('the threshold comes from the argument, else the one saved for this model, else the proposal', () => {
  const project = Project.create(path.join(dir, 'threshold.farpoint'));
  layout(project);
  buildCurrentGraph(project.db);
  const proposed = duplicateReport(project.db, null);
  assert.equal(proposed.thresholdSource, 'proposed');
  assert.ok(proposed.proposedThreshold > 0);
  assert.match(proposed.proposedRule, /median/);
  saveThreshold(project.db, currentDuplicateIndex(project.db, null).modelId, 0.31);
  const saved = duplicateReport(project.db, null);
  assert.equal(saved.thresholdSource, 'saved');
  assert.equal(saved.threshold, 0.31);
  assert.equal(duplicateReport(project.db, null, { threshold: 0.05 }).thresholdSource, 'argument');
  // A new model starts from its own proposal.
  addCurrentModel(project.db, 2);
  assert.equal(duplicateReport(project.db, null).thresholdSource, 'proposed');
  project.close();
});

test('the graph is reported missing, then stale once new samples are embedded, and the report pages through clusters', () => {
  const project = Project.create(path.join(dir, 'stale.farpoint'));
  const ids = layout(project);
  assert.equal(duplicateReport(project.db, null).graphState, 'missing');
  buildCurrentGraph(project.db);
  const ready = duplicateReport(project.db, null, { threshold: 0.5, offset: 1, limit: 1 });
  assert.equal(ready.graphState, 'ready');
  assert.equal(ready.totalClusters, 3);
  assert.equal(ready.clusters.length, 1);
  assert.equal(ready.offset, 1);
  const late = addSample(project, 'late');
  const modelId = currentDuplicateIndex(project.db, null).modelId!;
  saveEmbeddings(project.db, modelId, [late], Float32Array.of(0.05, 0), 2);
  const stale = duplicateReport(project.db, null);
  assert.equal(stale.graphState, 'stale');
  assert.equal(stale.histogram, null);
  buildCurrentGraph(project.db);
  const rebuilt = duplicateReport(project.db, null, { threshold: 0.2 });
  assert.deepEqual(rebuilt.clusters[1]!.members.map((m) => m.id).sort((a, b) => a - b), [ids.pairA!, ids.pairB!, late].sort((a, b) => a - b));
  project.close();
});

test('a project without embeddings explains what to do first', () => {
  const project = Project.create(path.join(dir, 'none.farpoint'));
  addSample(project, 'only');
  assert.equal(duplicateReport(project.db, null).graphState, 'no-model');
  assert.throws(() => buildCurrentGraph(project.db), /no embeddings yet: train the autoencoder and embed/);
  project.close();
});
