import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { DuplicateReport } from '../../src/shared/domain';
import { runCli } from '../helpers/cli';
import { plantedProject, type PlantedProject } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
let planted: PlantedProject;

before(async () => {
  planted = await plantedProject(dir, { distinct: 20, groups: 3 });
});

test('farpoint duplicates builds the graph on first use and prints clusters with ids, paths, sizes and the threshold', () => {
  const run = runCli(['duplicates', planted.projectPath]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /building the neighbour graph/);
  assert.match(run.stdout, /^threshold \d\.\d+ \(proposed; proposed \d/m);
  assert.match(run.stdout, /graph {5}32 samples, exact, k = 10, recall 1\.000/);
  assert.match(run.stdout, /clusters {2}4 holding 14 samples/);
  for (const group of planted.groups) {
    for (const file of group) assert.match(run.stdout, new RegExp(`#\\d+  ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\(`));
  }
  assert.match(run.stdout, /cluster \d: 4 samples, spread/);
  assert.match(run.stdout, /cluster \d: 2 samples, spread 0\.0+, includes byte-identical files/);
});

test('--json prints the report; --threshold overrides the proposal; the stored graph is reused', () => {
  const run = runCli(['duplicates', planted.projectPath, '--json', '--threshold', '0.0001']);
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /building/, 'the graph from the first run is reused');
  const report = JSON.parse(run.stdout) as DuplicateReport & { project: string };
  assert.equal(report.project, planted.projectPath);
  assert.equal(report.threshold, 0.0001);
  assert.equal(report.thresholdSource, 'argument');
  assert.ok(report.proposedThreshold > 0.0001);
  assert.equal(report.totalClusters, 1, 'only the byte-identical pair at a tiny threshold');
  assert.deepEqual(report.clusters[0]!.members.map((m) => m.path).sort(), [planted.distinct[0], planted.contentCopy].sort());
  assert.equal(report.clusters[0]!.size, 2);
});

test('a bad threshold is refused with the value named', () => {
  const run = runCli(['duplicates', planted.projectPath, '--threshold', 'near']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /--threshold must be a number from 0 to 1000000000000, got 'near'/);
});
