import fs from 'node:fs';
import path from 'node:path';
import { normalizeAngle } from '../../../shared/angles';
import type { LabelImportSummary, LabelRowProblem } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { DEFAULT_MAX_FILE_BYTES, FileRefused, hashOpenFileSync, openRegularFileSync, readExactlySync } from '../import/regular-file';
import { appendAnnotation, currentAngleReader } from '../../store/annotations';
import { sampleFinders } from '../../store/samples';
import { durableWrite, type Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { setSampleAttribute } from '../../store/sample-attributes';
import { findLabelColumns } from './label-columns';
import { parseCsv } from './parse-csv';

interface ReadyRow {
  line: number;
  sampleId: number;
  angle: number;
  attributes: { name: string; value: string }[];
  byHash: boolean;
}

/**
 * Imports ground-truth angles from a CSV (path, angle in degrees, optional
 * other columns). A row's path is absolute or relative to the CSV's folder;
 * it matches a sample by path, else by the SHA-256 of the file found there
 * (so moved or renamed files still match). Every row is checked before
 * anything is written, and all good rows go in one transaction: a row is
 * either imported whole (label and attributes) or reported by line number.
 */
export function importLabels(db: Db, csvFile: string, author: string, options: { maxFileBytes?: number } = {}): LabelImportSummary {
  const file = path.resolve(csvFile);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const csv = parseCsv(readCsvText(file, maxFileBytes));
  // Leading '#' lines are comments (Farpoint's own exports state the angle convention there).
  while (csv.records[0]?.fields[0]?.startsWith('#')) csv.records.shift();
  const columns = findLabelColumns(csv.records[0]);
  const rows = columns.hasHeader ? csv.records.slice(1) : csv.records;
  const folder = path.dirname(file);
  const mode = readSettings(db).angleMode;

  const malformed: LabelRowProblem[] = csv.problems.map((p) => ({ line: p.line, path: null, reason: p.reason }));
  const unmatched: LabelRowProblem[] = [];
  const ready: ReadyRow[] = [];
  const { byPath, byHash } = sampleFinders(db);
  const firstLineOf = new Map<number, number>();
  const width = columns.hasHeader ? csv.records[0]!.fields.length : null;
  let withoutAngle = 0;

  for (const row of rows) {
    const rawPath = (row.fields[columns.pathIndex] ?? '').trim();
    const rawAngle = (row.fields[columns.angleIndex] ?? '').trim();
    if (width !== null && row.fields.length !== width) {
      malformed.push({ line: row.line, path: rawPath || null, reason: `has ${row.fields.length} fields, the header has ${width}` });
      continue;
    }
    if (rawPath === '') {
      malformed.push({ line: row.line, path: null, reason: 'the path is empty' });
      continue;
    }
    if (rawAngle === '') {
      // An unlabeled sample (as `farpoint export` writes them): nothing to import, nothing wrong.
      withoutAngle++;
      continue;
    }
    const angle = Number(rawAngle);
    if (!Number.isFinite(angle) || Math.abs(angle) > 3600) {
      malformed.push({ line: row.line, path: rawPath, reason: `the angle '${rawAngle}' is not a number of degrees` });
      continue;
    }
    const resolved = path.resolve(folder, rawPath);
    let sampleId = byPath(resolved);
    let matchedByHash = false;
    if (sampleId === undefined) {
      const hash = hashFile(resolved, maxFileBytes);
      if (typeof hash !== 'string') {
        unmatched.push({ line: row.line, path: rawPath, reason: `no sample has the path ${resolved}, and the file there cannot be matched by content: ${hash.refused}` });
        continue;
      }
      sampleId = byHash(hash);
      if (sampleId === undefined) {
        unmatched.push({ line: row.line, path: rawPath, reason: `no sample has the path ${resolved} or the same content (sha256 ${hash.slice(0, 12)}…)` });
        continue;
      }
      matchedByHash = true;
    }
    const earlier = firstLineOf.get(sampleId);
    if (earlier !== undefined) {
      malformed.push({ line: row.line, path: rawPath, reason: `names the same sample as line ${earlier}; only the first is imported` });
      continue;
    }
    firstLineOf.set(sampleId, row.line);
    const attributes = columns.extra.map((c) => ({ name: c.name, value: (row.fields[c.index] ?? '').trim() }));
    ready.push({ line: row.line, sampleId, angle: normalizeAngle(angle, mode), attributes, byHash: matchedByHash });
  }

  const current = currentAngleReader(db);
  let imported = 0;
  let unchanged = 0;
  durableWrite(db, () => {
    for (const row of ready) {
      for (const a of row.attributes) setSampleAttribute(db, row.sampleId, a.name, a.value);
      const before = current(row.sampleId);
      // Re-importing the same file must not grow the history with identical entries.
      if (before !== undefined && Math.abs(before - row.angle) < 1e-9) {
        unchanged++;
        continue;
      }
      appendAnnotation(db, { sampleId: row.sampleId, angle: row.angle, action: 'set', source: 'imported', author });
      imported++;
    }
  });
  return {
    file,
    rows: rows.length + csv.problems.length,
    imported,
    unchanged,
    withoutAngle,
    matchedByHash: ready.filter((r) => r.byHash).length,
    attributes: columns.extra.map((c) => c.name),
    unmatched,
    malformed: malformed.sort((a, b) => a.line - b.line),
  };
}

/** The CSV's text; a FIFO, a device or an oversized file is refused with the reason instead of being read. */
function readCsvText(file: string, maxFileBytes: number): string {
  let opened;
  try {
    opened = openRegularFileSync(file, maxFileBytes);
  } catch (err) {
    const reason = err instanceof FileRefused ? err.message : String(err);
    throw new FarpointError(reason === 'file not found' ? `CSV file not found: ${file}` : `cannot read the CSV ${file}: ${reason}`, reason === 'file not found' ? 404 : 400);
  }
  try {
    return readExactlySync(opened.fd, opened.size).toString('utf8');
  } finally {
    fs.closeSync(opened.fd);
  }
}

/**
 * SHA-256 of the file a row names, read a chunk at a time; a row naming a
 * FIFO, a device (/dev/zero) or a file over the limit gets the reason, at
 * once, without the file being read.
 */
function hashFile(file: string, maxFileBytes: number): string | { refused: string } {
  let opened;
  try {
    opened = openRegularFileSync(file, maxFileBytes);
  } catch (err) {
    return { refused: err instanceof FileRefused ? err.message : String(err) };
  }
  try {
    return hashOpenFileSync(opened.fd, opened.size);
  } catch (err) {
    return { refused: `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  } finally {
    fs.closeSync(opened.fd);
  }
}
