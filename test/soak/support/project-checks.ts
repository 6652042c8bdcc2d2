import assert from 'node:assert/strict';
import type { Db } from '../../../src/main/store/database';
import type { AnnotationRecord } from '../../../src/shared/domain';

export function assertIntegrity(db: Db, where: string): void {
  const result = db.pragma('integrity_check', { simple: true });
  assert.equal(result, 'ok', `${where}: PRAGMA integrity_check says ${String(result)}`);
  const foreignKeys = db.pragma('foreign_key_check') as unknown[];
  assert.equal(foreignKeys.length, 0, `${where}: foreign key violations ${JSON.stringify(foreignKeys.slice(0, 3))}`);
}

interface StoredAnnotation {
  id: number;
  sample_id: number;
  angle: number | null;
  action: string;
  source: string;
  author: string;
  created_at: string;
  undoes: number | null;
}

/**
 * Every acknowledged annotation is stored exactly as the back end answered,
 * and each touched sample's current label is the last entry of its history.
 * (Order across concurrent requests is the server's commit order, which the
 * client cannot know, so it is not compared with the order of the answers.)
 */
export function assertAcknowledgedPresent(db: Db, acknowledged: readonly AnnotationRecord[], where: string): void {
  const byId = db.prepare('SELECT id, sample_id, angle, action, source, author, created_at, undoes FROM annotations WHERE id = ?');
  for (const ack of acknowledged) {
    const row = byId.get(ack.id) as StoredAnnotation | undefined;
    assert.ok(row, `${where}: acknowledged annotation ${ack.id} (sample ${ack.sampleId}, ${ack.action} ${ack.angle}) is missing`);
    assert.deepEqual(
      [row.sample_id, row.angle, row.action, row.source, row.author, row.created_at, row.undoes],
      [ack.sampleId, ack.angle, ack.action, ack.source, ack.author, ack.createdAt, ack.undoes],
      `${where}: annotation ${ack.id} differs from what was acknowledged`,
    );
  }
  const last = db.prepare('SELECT angle FROM annotations WHERE sample_id = ? ORDER BY id DESC LIMIT 1');
  const current = db.prepare('SELECT angle FROM current_labels WHERE sample_id = ?');
  for (const sampleId of new Set(acknowledged.map((a) => a.sampleId))) {
    const lastEntry = last.get(sampleId) as { angle: number | null };
    const label = current.get(sampleId) as { angle: number } | undefined;
    assert.equal(label?.angle ?? null, lastEntry.angle, `${where}: current label of sample ${sampleId} is not the last entry of its history`);
  }
}
