import { entryBefore, restoreLabel } from './annotations';
import { durableWrite, type Db } from './database';

/**
 * Undo and redo of a batch of history entries (a propagation writes one per
 * member) as one durable write: the batch is taken back or put back whole,
 * never half. Each restore appends an entry (the history stays append-only).
 */

/** Puts each entry's sample back to what it was before that entry, latest entry first; returns the entries appended. */
export function revertEntries(db: Db, author: string, entryIds: readonly number[]): number[] {
  return durableWrite(db, () =>
    [...entryIds].reverse().map((id) => {
      const { sampleId, before } = entryBefore(db, id);
      return restoreLabel(db, author, sampleId, before, id).id;
    }),
  );
}

/** Puts each entry's value back as its sample's current label, in the order given; returns the entries appended. */
export function reapplyEntries(db: Db, author: string, entryIds: readonly number[]): number[] {
  return durableWrite(db, () =>
    entryIds.map((id) => {
      const { sampleId } = entryBefore(db, id);
      return restoreLabel(db, author, sampleId, id, latestEntryOf(db, sampleId)).id;
    }),
  );
}

/** The newest history entry of a sample (the one a redo replaces), null when it has none. */
function latestEntryOf(db: Db, sampleId: number): number | null {
  const row = db.prepare('SELECT id FROM annotations WHERE sample_id = ? ORDER BY id DESC LIMIT 1').get(sampleId) as { id: number } | undefined;
  return row?.id ?? null;
}
