import type { SampleStatus } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import { durableWrite, type Db } from './database';

/**
 * Sets the status of many samples in one durable transaction and logs each change in
 * status_changes with `reason` (who did it and from where), so an include or
 * exclude stays auditable. Unknown ids are refused before anything changes.
 */
export function changeStatus(db: Db, ids: readonly number[], status: SampleStatus, reason: string): { changed: number[]; unchanged: number[] } {
  return durableWrite(db, () => {
    const exists = db.prepare('SELECT 1 FROM samples WHERE id = ?');
    for (const id of ids) if (!exists.get(id)) throw new FarpointError(`no sample with id ${id}`, 404);
    const update = db.prepare('UPDATE samples SET status = ? WHERE id = ? AND status != ?');
    const log = db.prepare('INSERT INTO status_changes (sample_id, status, reason, created_at) VALUES (?, ?, ?, ?)');
    const now = new Date().toISOString();
    const changed: number[] = [];
    const unchanged: number[] = [];
    for (const id of new Set(ids)) {
      if (update.run(status, id, status).changes > 0) {
        changed.push(id);
        log.run(id, status, reason, now);
      } else unchanged.push(id);
    }
    return { changed, unchanged };
  });
}

export interface StatusChange {
  sampleId: number;
  status: SampleStatus;
  reason: string | null;
  createdAt: string;
}

/** A sample's status changes, oldest first. */
export function statusHistory(db: Db, sampleId: number): StatusChange[] {
  return db
    .prepare('SELECT sample_id AS sampleId, status, reason, created_at AS createdAt FROM status_changes WHERE sample_id = ? ORDER BY id')
    .all(sampleId) as StatusChange[];
}
