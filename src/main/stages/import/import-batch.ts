import type { DuplicateFile, SkippedFile } from '../../../shared/domain';
import { writeOrExplain, type Db } from '../../store/database';
import { importedSampleWriter } from '../../store/imported-samples';
import type { DecodedImage } from './read-image';
import type { ReadResult } from './read-or-reason';

/** What an import has counted so far, from the folder's scan and every committed batch; its summary reports it. */
export interface ImportTally {
  scanned: number;
  ignored: number;
  alreadyPresent: number;
  imported: number;
  skipped: SkippedFile[];
  duplicates: DuplicateFile[];
}

/** Stores a batch of read results in one transaction, counting each in the tally. */
export type BatchStore = ReturnType<typeof batchStore>;

/**
 * The transaction that stores a batch of read results: the first file with given contents is
 * kept (this run's or an earlier one's), a later one is listed as its duplicate.
 */
export function batchStore(db: Db, thumbnailWindow: string, tally: ImportTally) {
  const pathByHash = new Map<string, string>();
  const writer = importedSampleWriter(db, thumbnailWindow);
  return db.transaction((results: ReadResult[]) => {
    const now = new Date().toISOString();
    for (const result of results.flatMap((r): (DecodedImage | SkippedFile)[] => (Array.isArray(r) ? r : [r]))) {
      if (!('contentHash' in result)) {
        tally.skipped.push(result);
        continue;
      }
      const original = pathByHash.get(result.contentHash) ?? writer.pathWithHash(result.contentHash);
      if (original !== undefined) {
        tally.duplicates.push({ path: result.path, duplicateOf: original });
        continue;
      }
      if (!writer.insert(result, now)) {
        tally.alreadyPresent++;
        continue;
      }
      pathByHash.set(result.contentHash, result.path);
      tally.imported++;
    }
  });
}

/** Commits a batch; a refused batch is rolled back, so it must not count in what the import says it kept either. */
export function commitBatch(store: BatchStore, batch: ReadResult[], tally: ImportTally): void {
  const kept = { imported: tally.imported, duplicates: tally.duplicates.length, skipped: tally.skipped.length };
  try {
    writeOrExplain(() => store.immediate(batch));
  } catch (err) {
    tally.imported = kept.imported;
    tally.duplicates.length = kept.duplicates;
    tally.skipped.length = kept.skipped;
    throw err;
  }
}
