import { FarpointError } from '../../core/errors';
import type { CsvRecord } from './parse-csv';

/** Header names understood for the two required columns, compared case-insensitively. */
const PATH_NAMES = ['path', 'file', 'filename', 'file_name', 'image', 'image_path', 'imagepath'];
const ANGLE_NAMES = ['angle', 'angle_deg', 'angle_degrees', 'degrees', 'deg', 'orientation', 'orientation_deg'];

/**
 * Columns `farpoint export` writes about a label rather than about the sample
 * (its hash, status, who set it...): read back, they are not sample attributes.
 */
const LABEL_METADATA = ['content_hash', 'status', 'source', 'author', 'labeled_at', 'queue_rank', 'strategy', 'frame', 'study_uid', 'series_uid', 'sop_uid'];

export interface LabelColumns {
  /** Whether the first record is a header (and so not a label). */
  hasHeader: boolean;
  pathIndex: number;
  angleIndex: number;
  /** Every other named column (e.g. object_type), kept as sample attributes for grouped evaluation. */
  extra: { index: number; name: string }[];
}

/**
 * Finds the path and angle columns. A first record whose second field is a
 * number is data (a headerless file: path, angle); otherwise it is a header
 * and must name both columns.
 */
export function findLabelColumns(first: CsvRecord | undefined): LabelColumns {
  if (!first) throw new FarpointError('the CSV has no rows');
  const looksLikeData = first.fields.length >= 2 && first.fields[1]!.trim() !== '' && Number.isFinite(Number(first.fields[1]));
  if (looksLikeData) return { hasHeader: false, pathIndex: 0, angleIndex: 1, extra: [] };
  const names = first.fields.map((f) => f.trim().toLowerCase());
  const pathIndex = names.findIndex((n) => PATH_NAMES.includes(n));
  const angleIndex = names.findIndex((n) => ANGLE_NAMES.includes(n));
  if (pathIndex < 0 || angleIndex < 0) {
    const missing = [pathIndex < 0 ? `a path column (${PATH_NAMES.join(', ')})` : null, angleIndex < 0 ? `an angle column (${ANGLE_NAMES.join(', ')})` : null]
      .filter(Boolean)
      .join(' and ');
    throw new FarpointError(`line ${first.line}: the header '${first.fields.join(',')}' lacks ${missing}`);
  }
  const extra = first.fields
    .map((name, index) => ({ index, name: name.trim() }))
    .filter((c) => c.index !== pathIndex && c.index !== angleIndex && c.name !== '' && !LABEL_METADATA.includes(c.name.toLowerCase()));
  return { hasHeader: true, pathIndex, angleIndex, extra };
}
