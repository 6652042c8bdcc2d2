import fs from 'node:fs';
import path from 'node:path';
import { normalizeAngle } from '../../../shared/angles';
import type { AngleMode, LabelRowProblem } from '../../../shared/domain';
import { FileRefused, hashOpenFileSync, openRegularFileSync } from '../import/regular-file';
import type { sampleFinders } from '../../store/samples';
import type { LabelColumns } from './label-columns';
import type { CsvRecord } from './parse-csv';

/** A row ready to be written: its sample, its angle in the project's convention and its other columns. */
export interface ReadyRow {
  line: number;
  sampleId: number;
  angle: number;
  attributes: { name: string; value: string }[];
  byHash: boolean;
}

/** What checking a row needs: the CSV's columns and folder, the project's angle convention, and how samples are found. */
export interface RowContext {
  columns: LabelColumns;
  /** The header's field count, which every row must have; null without a header. */
  width: number | null;
  folder: string;
  mode: AngleMode;
  finders: ReturnType<typeof sampleFinders>;
  maxFileBytes: number;
}

export type RowOutcome =
  | { kind: 'ready'; row: ReadyRow; path: string }
  | { kind: 'malformed'; problem: LabelRowProblem }
  | { kind: 'unmatched'; problem: LabelRowProblem }
  | { kind: 'withoutAngle' };

/** A row checked on its own (a second row for the same sample is the caller's to catch): ready, without an angle, or why not. */
export function checkRow(row: CsvRecord, ctx: RowContext): RowOutcome {
  const { columns, width } = ctx;
  const rawPath = (row.fields[columns.pathIndex] ?? '').trim();
  const rawAngle = (row.fields[columns.angleIndex] ?? '').trim();
  const malformed = (problemPath: string | null, reason: string): RowOutcome => ({ kind: 'malformed', problem: { line: row.line, path: problemPath, reason } });
  if (width !== null && row.fields.length !== width) return malformed(rawPath || null, `has ${row.fields.length} fields, the header has ${width}`);
  if (rawPath === '') return malformed(null, 'the path is empty');
  // An unlabeled sample (as `farpoint export` writes them): nothing to import, nothing wrong.
  if (rawAngle === '') return { kind: 'withoutAngle' };
  const angle = Number(rawAngle);
  if (!Number.isFinite(angle) || Math.abs(angle) > 3600) return malformed(rawPath, `the angle '${rawAngle}' is not a number of degrees`);
  const match = matchSample(path.resolve(ctx.folder, rawPath), ctx);
  if (typeof match === 'string') return { kind: 'unmatched', problem: { line: row.line, path: rawPath, reason: match } };
  const attributes = columns.extra.map((c) => ({ name: c.name, value: (row.fields[c.index] ?? '').trim() }));
  return { kind: 'ready', row: { line: row.line, sampleId: match.sampleId, angle: normalizeAngle(angle, ctx.mode), attributes, byHash: match.byHash }, path: rawPath };
}

/** The sample a row's file is, by path or else by content (so moved or renamed files still match); or why none. */
function matchSample(resolved: string, ctx: RowContext): { sampleId: number; byHash: boolean } | string {
  const sampleId = ctx.finders.byPath(resolved);
  if (sampleId !== undefined) return { sampleId, byHash: false };
  const hash = hashFile(resolved, ctx.maxFileBytes);
  if (typeof hash !== 'string') return `no sample has the path ${resolved}, and the file there cannot be matched by content: ${hash.refused}`;
  const byContent = ctx.finders.byHash(hash);
  if (byContent === undefined) return `no sample has the path ${resolved} or the same content (sha256 ${hash.slice(0, 12)}…)`;
  return { sampleId: byContent, byHash: true };
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
