import type { Db } from '../../store/database';
import { sharedContentHashes } from '../../store/samples';

/**
 * Samples sharing a content hash: byte-identical files. The import stores such
 * a file once and reports the rest, but copies can still exist (a project from
 * an older import, files added by other tools), and they are duplicates
 * whatever their embeddings say. Excluded samples are included, so a copy set
 * aside stays visible and can be restored.
 */
export function contentHashGroups(db: Db): number[][] {
  const rows = sharedContentHashes(db);
  const groups: number[][] = [];
  let last: string | null = null;
  for (const [hash, id] of rows) {
    if (hash !== last) groups.push([]);
    groups[groups.length - 1]!.push(id);
    last = hash;
  }
  return groups;
}
