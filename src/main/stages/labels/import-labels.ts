import fs from 'node:fs';
import path from 'node:path';
import type { LabelImportSummary, LabelRowProblem } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { DEFAULT_MAX_FILE_BYTES, FileRefused, openRegularFileSync, readExactlySync } from '../import/regular-file';
import { appendAnnotation, currentAngleReader } from '../../store/annotations';
import { sampleFinders } from '../../store/samples';
import { durableWrite, type Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { setSampleAttribute } from '../../store/sample-attributes';
import { findLabelColumns, type LabelColumns } from './label-columns';
import { checkRow, type ReadyRow, type RowContext } from './label-rows';
import { parseCsv, type CsvRecord, type ParsedCsv } from './parse-csv';

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
  const { csv, columns, rows } = readLabelCsv(file, maxFileBytes);
  const ctx: RowContext = {
    columns,
    width: columns.hasHeader ? csv.records[0]!.fields.length : null,
    folder: path.dirname(file),
    mode: readSettings(db).angleMode,
    finders: sampleFinders(db),
    maxFileBytes,
  };
  const checked = checkRows(rows, ctx, csv.problems.map((p) => ({ line: p.line, path: null, reason: p.reason })));
  const { imported, unchanged } = writeLabels(db, checked.ready, author);
  return {
    file,
    rows: rows.length + csv.problems.length,
    imported,
    unchanged,
    withoutAngle: checked.withoutAngle,
    matchedByHash: checked.ready.filter((r) => r.byHash).length,
    attributes: columns.extra.map((c) => c.name),
    unmatched: checked.unmatched,
    malformed: checked.malformed.sort((a, b) => a.line - b.line),
  };
}

/** The CSV parsed, its comment lines dropped and its columns found; `rows` are its records after any header. */
function readLabelCsv(file: string, maxFileBytes: number): { csv: ParsedCsv; columns: LabelColumns; rows: CsvRecord[] } {
  const csv = parseCsv(readCsvText(file, maxFileBytes));
  // Leading '#' lines are comments (Farpoint's own exports state the angle convention there).
  while (csv.records[0]?.fields[0]?.startsWith('#')) csv.records.shift();
  const columns = findLabelColumns(csv.records[0]);
  const rows = columns.hasHeader ? csv.records.slice(1) : csv.records;
  return { csv, columns, rows };
}

/** Checks every row; of several rows for one sample only the first is kept. */
function checkRows(
  rows: CsvRecord[],
  ctx: RowContext,
  malformed: LabelRowProblem[],
): { ready: ReadyRow[]; malformed: LabelRowProblem[]; unmatched: LabelRowProblem[]; withoutAngle: number } {
  const unmatched: LabelRowProblem[] = [];
  const ready: ReadyRow[] = [];
  const firstLineOf = new Map<number, number>();
  let withoutAngle = 0;
  for (const row of rows) {
    const outcome = checkRow(row, ctx);
    if (outcome.kind === 'withoutAngle') withoutAngle++;
    else if (outcome.kind === 'malformed') malformed.push(outcome.problem);
    else if (outcome.kind === 'unmatched') unmatched.push(outcome.problem);
    else {
      const earlier = firstLineOf.get(outcome.row.sampleId);
      if (earlier !== undefined) {
        malformed.push({ line: row.line, path: outcome.path, reason: `names the same sample as line ${earlier}; only the first is imported` });
        continue;
      }
      firstLineOf.set(outcome.row.sampleId, row.line);
      ready.push(outcome.row);
    }
  }
  return { ready, malformed, unmatched, withoutAngle };
}

/** Writes the ready rows' attributes and angles in one transaction; an angle equal to the sample's current one is left out. */
function writeLabels(db: Db, ready: ReadyRow[], author: string): { imported: number; unchanged: number } {
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
  return { imported, unchanged };
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
