import assert from 'node:assert/strict';
import { isRequestName } from '../../../src/shared/contract';
import { Project } from '../../../src/main/store/project';
import type { ServerProcess } from './server-process';

interface QueuePageLike {
  total: number;
  modelId: number | null;
  entries: { rank: number; sampleId: number }[];
}

/**
 * The queue a freshly started back end serves is exactly the project's
 * unlabeled active samples (those with a vector of the current model, when
 * there is one), each once, ranks 1..n, and nextToLabel is its head.
 * Returns what was checked, or why nothing could be (a build without the queue).
 */
export async function assertQueueConsistent(server: ServerProcess, file: string, where: string): Promise<string> {
  if (!isRequestName('getQueue')) return 'not checked: this build has no getQueue request';
  const entries: QueuePageLike['entries'] = [];
  let page: QueuePageLike;
  do {
    const answer = await server.call('getQueue', { offset: entries.length, limit: 5000 });
    assert.equal(answer.status, 200, `${where}: getQueue: ${answer.body.error}`);
    page = answer.body.result as QueuePageLike;
    entries.push(...page.entries);
  } while (entries.length < page.total && page.entries.length > 0);

  const project = Project.open(file);
  let expected: Set<number>;
  try {
    const withVector = page.modelId === null ? '' : 'AND EXISTS (SELECT 1 FROM embeddings e WHERE e.sample_id = s.id AND e.model_id = ?)';
    const sql = `SELECT s.id FROM samples s WHERE s.status = 'active' AND s.id NOT IN (SELECT sample_id FROM current_labels) ${withVector}`;
    expected = new Set((page.modelId === null ? project.db.prepare(sql).pluck().all() : project.db.prepare(sql).pluck().all(page.modelId)) as number[]);
  } finally {
    project.close();
  }
  const ids = entries.map((e) => e.sampleId);
  assert.equal(new Set(ids).size, ids.length, `${where}: a sample appears twice in the queue`);
  assert.deepEqual(entries.map((e) => e.rank), ids.map((_, i) => i + 1), `${where}: queue ranks are not 1..n`);
  const labeled = ids.filter((id) => !expected.has(id));
  assert.deepEqual(labeled.slice(0, 10), [], `${where}: labeled or excluded samples in the queue`);
  assert.equal(ids.length, expected.size, `${where}: the queue has ${ids.length} entries for ${expected.size} unlabeled samples`);
  if (isRequestName('nextToLabel')) {
    const next = (await server.call('nextToLabel', {})).body.result as { sampleId: number } | null;
    assert.equal(next?.sampleId ?? null, ids[0] ?? null, `${where}: nextToLabel is not the head of the queue`);
  }
  return `${ids.length} queued = unlabeled samples (model ${page.modelId ?? 'none'})`;
}
