import { FarpointError } from '../core/errors';
import type { Db } from './database';
import { readMeta, writeMeta } from './settings';

const KEY = 'queue_front';

/**
 * The front of the queue (moveToFront), stored in the project so it survives
 * a restart and every process sees it: groups of sample ids, newest group
 * first, each in the order it was requested. Labeled or excluded ids are
 * pruned as the queue notices them; the queue ignores them meanwhile.
 */
export function readFront(db: Db): number[][] {
  const raw = readMeta(db, KEY);
  if (!raw) return [];
  const parsed = JSON.parse(raw) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((g) => Array.isArray(g) && g.every((id) => Number.isSafeInteger(id)))) {
    throw new FarpointError(`the stored queue front is malformed: ${raw.slice(0, 80)}`, 500);
  }
  return parsed as number[][];
}

/** What the front's stamp compares: the stored text itself (cheap, and changes with every write). */
export function frontRevision(db: Db): string {
  return readMeta(db, KEY) ?? '';
}

export function writeFront(db: Db, groups: readonly (readonly number[])[]): void {
  writeMeta(db, KEY, JSON.stringify(groups.filter((g) => g.length > 0)));
}
