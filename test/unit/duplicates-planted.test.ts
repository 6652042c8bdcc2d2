import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildCurrentGraph } from '../../src/main/duplicates/build-current-graph';
import { duplicateReport } from '../../src/main/duplicates/duplicate-report';
import { Project } from '../../src/main/project/project';
import type { DuplicateReport } from '../../src/shared/domain';
import { plantedProject, type PlantedProject } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
let planted: PlantedProject;

before(async () => {
  planted = await plantedProject(dir, { distinct: 40, groups: 6 });
});

function clusterPaths(report: DuplicateReport): string[][] {
  return report.clusters.map((c) => c.members.map((m) => m.path).sort());
}

function assertPlantedClusters(report: DuplicateReport): void {
  const clusters = clusterPaths(report);
  for (const group of planted.groups) {
    assert.ok(
      clusters.some((c) => JSON.stringify(c) === JSON.stringify([...group].sort())),
      `planted group ${group.map((p) => p.split('/').pop()).join(', ')} is one cluster, alone (threshold ${report.threshold}); clusters: ${JSON.stringify(clusters.map((c) => c.map((p) => p.split('/').pop())))}`,
    );
  }
  // The only other cluster is the byte-identical copy with its original; no distinct design merged with anything.
  const copyPair = [planted.distinct[0]!, planted.contentCopy].sort();
  assert.deepEqual(clusters.find((c) => c.includes(planted.contentCopy)), copyPair);
  assert.equal(report.totalClusters, planted.groups.length + 1);
  for (const file of planted.distinct.slice(1)) assert.ok(!clusters.some((c) => c.includes(file)), `${file} merged into a cluster`);
}

test('planted near-duplicates (noise, shift, JPEG re-encoding) come out as clusters at the proposed threshold; distinct images stay apart', () => {
  const project = Project.open(planted.projectPath);
  try {
    const info = buildCurrentGraph(project.db);
    assert.equal(info.method, 'exact');
    assert.equal(info.count, 40 + 6 * 4, 'every embedded sample is in the graph; the unembedded copy is not');
    const report = duplicateReport(project.db, null);
    assert.equal(report.graphState, 'ready');
    assert.equal(report.thresholdSource, 'proposed');
    assert.equal(report.threshold, report.proposedThreshold);
    assertPlantedClusters(report);

    const copyCluster = report.clusters.find((c) => c.members.some((m) => m.path === planted.contentCopy))!;
    assert.equal(copyCluster.sameContent, true);
    assert.equal(copyCluster.members.find((m) => m.path === planted.contentCopy)!.distance, null, 'the copy has no vector, it joined by content hash');
    for (const cluster of report.clusters.filter((c) => c !== copyCluster)) {
      assert.equal(cluster.sameContent, false);
      assert.equal(cluster.members[0]!.id, cluster.representativeId, 'the representative leads its cluster');
      assert.ok(cluster.spread > 0 && cluster.spread <= report.threshold * cluster.size, `spread ${cluster.spread}`);
    }
    // The histogram shows the planted pairs left of the threshold and the distinct designs right of it.
    const h = report.histogram!;
    const below = h.counts.reduce((sum, n, i) => sum + (h.edges[i + 1]! <= report.threshold ? n : 0), 0);
    const above = h.counts.reduce((sum, n, i) => sum + (h.edges[i]! > report.threshold ? n : 0), 0);
    assert.ok(below >= 1 && above >= 30, `histogram below ${below}, above ${above}`);
  } finally {
    project.close();
  }
});

test('the HNSW graph (forced on this small pool) finds the same clusters', () => {
  const project = Project.open(planted.projectPath);
  try {
    const info = buildCurrentGraph(project.db, { exactLimit: 10 });
    assert.equal(info.method, 'hnsw');
    assert.ok(info.recall >= 0.95, `recall ${info.recall}`);
    assertPlantedClusters(duplicateReport(project.db, null));
  } finally {
    project.close();
  }
});
