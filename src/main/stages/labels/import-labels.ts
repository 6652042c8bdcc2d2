import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { normalizeAngle } from '../../../shared/angles';
import type { LabelImportSummary, LabelRowProblem } from '../../../shared/domain';
import { FarpointError, messageOf } from '../../core/errors';
import { appendAnnotation } from '../../store/annotations';
import { writeOrExplain, type Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { setSampleAttribute } from './sample-attributes';
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
export function importLabels(db: Db, csvFile: string, author: string): LabelImportSummary {
  const file = path.resolve(csvFile);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FarpointError(code === 'ENOENT' ? `CSV file not found: ${file}` : `cannot read ${file}: ${messageOf(err)}`, code === 'ENOENT' ? 404 : 400);
  }
  const csv = parseCsv(text);
  const columns = findLabelColumns(csv.records[0]);
  const rows = columns.hasHeader ? csv.records.slice(1) : csv.records;
  const folder = path.dirname(file);
  const mode = readSettings(db).angleMode;

  const malformed: LabelRowProblem[] = csv.problems.map((p) => ({ line: p.line, path: null, reason: p.reason }));
  const unmatched: LabelRowProblem[] = [];
  const ready: ReadyRow[] = [];
  const byPath = db.prepare('SELECT id FROM samples WHERE path = ?').pluck();
  const byHash = db.prepare('SELECT id FROM samples WHERE content_hash = ? ORDER BY id LIMIT 1').pluck();
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
    let sampleId = byPath.get(resolved) as number | undefined;
    let matchedByHash = false;
    if (sampleId === undefined) {
      const hash = hashFile(resolved);
      if (hash === null) {
        unmatched.push({ line: row.line, path: rawPath, reason: `no sample has the path ${resolved}, and there is no readable file there to match by content` });
        continue;
      }
      sampleId = byHash.get(hash) as number | undefined;
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

  const current = db.prepare('SELECT angle FROM current_labels WHERE sample_id = ?').pluck();
  let imported = 0;
  let unchanged = 0;
  writeOrExplain(() =>
    db
      .transaction(() => {
        for (const row of ready) {
          for (const a of row.attributes) setSampleAttribute(db, row.sampleId, a.name, a.value);
          const before = current.get(row.sampleId) as number | undefined;
          // Re-importing the same file must not grow the history with identical entries.
          if (before !== undefined && Math.abs(before - row.angle) < 1e-9) {
            unchanged++;
            continue;
          }
          appendAnnotation(db, { sampleId: row.sampleId, angle: row.angle, action: 'set', source: 'imported', author });
          imported++;
        }
      })
      .immediate(),
  );
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

function hashFile(file: string): string | null {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}
