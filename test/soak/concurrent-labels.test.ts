import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import type { AnnotationRecord } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { labelBurst } from './support/label-burst';
import { assertAcknowledgedPresent, assertIntegrity } from './support/project-checks';
import { SeededRandom } from './support/seeded-random';
import { startServerProcess, type ServerProcess } from './support/server-process';
import { SOAK_SEED, soakCount } from './support/soak-counts';
import { createSyntheticProject } from './support/synthetic-project';

const SAMPLES = 40;

/** Two clients label at once, each as fast as the back end takes it, on the same few samples so their writes collide. */
async function twoClients(servers: [ServerProcess, ServerProcess], perClient: number, seed: number) {
  const outcomes = await Promise.all(
    servers.map((server, i) => labelBurst(server, new SeededRandom(seed + i), { total: perClient, concurrency: 4, sampleCount: SAMPLES })),
  );
  for (const [i, outcome] of outcomes.entries()) {
    assert.deepEqual(outcome.unexpected, [], `client ${i + 1}: refused saves`);
    assert.equal(outcome.unanswered, 0, `client ${i + 1}: unanswered saves`);
  }
  return outcomes.flatMap((o) => o.acknowledged);
}

function assertNoLostWrites(file: string, acknowledged: AnnotationRecord[], where: string): void {
  const project = Project.open(file);
  try {
    assertIntegrity(project.db, where);
    assertAcknowledgedPresent(project.db, acknowledged, where);
    const stored = project.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get() as number;
    assert.equal(stored, acknowledged.length, `${where}: ${stored} annotations stored for ${acknowledged.length} acknowledged saves`);
    assert.equal(new Set(acknowledged.map((a) => a.id)).size, acknowledged.length, `${where}: two saves were given the same annotation id`);
  } finally {
    project.close();
  }
}

test('two web clients labeling the same samples at once through one server lose no writes', async () => {
  const perClient = soakCount(150, 5000);
  const file = path.join(tempDir(), 'two-clients.farpoint');
  await createSyntheticProject(file, SAMPLES);
  const server = await startServerProcess(file);
  let acknowledged: AnnotationRecord[];
  try {
    acknowledged = await twoClients([server, server], perClient, SOAK_SEED + 6);
  } finally {
    await server.stop();
  }
  assertNoLostWrites(file, acknowledged, 'one server, two clients');
  console.log(`concurrent labels: one server, two clients: ${acknowledged.length} saves acknowledged, all stored`);
});

test('two back ends on the same project file (the app and `farpoint serve`), one client each, lose no writes', async () => {
  const perClient = soakCount(150, 5000);
  const file = path.join(tempDir(), 'two-servers.farpoint');
  await createSyntheticProject(file, SAMPLES);
  const servers = [await startServerProcess(file), await startServerProcess(file)] as [ServerProcess, ServerProcess];
  let acknowledged: AnnotationRecord[];
  try {
    acknowledged = await twoClients(servers, perClient, SOAK_SEED + 8);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  assertNoLostWrites(file, acknowledged, 'two servers');
  console.log(`concurrent labels: two server processes, one file: ${acknowledged.length} saves acknowledged, all stored`);
});
