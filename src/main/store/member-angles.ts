import type { Db } from './database';

/** A sample's current label, else the suggestion of `regressorId`, else nothing. */
export interface MemberAngle {
  sampleId: number;
  label: number | null;
  suggestion: number | null;
}

/** Labels and suggestions of a few samples (a cluster's members), in the order given. */
export function memberAngles(db: Db, ids: readonly number[], regressorId: number | null): MemberAngle[] {
  const stmt = db.prepare(
    `SELECT (SELECT angle FROM current_labels WHERE sample_id = @id) AS label,
            (SELECT angle FROM predictions WHERE model_id = @model AND sample_id = @id) AS suggestion`,
  );
  return ids.map((id) => {
    const row = stmt.get({ id, model: regressorId }) as { label: number | null; suggestion: number | null };
    return { sampleId: id, label: row.label, suggestion: row.suggestion };
  });
}
