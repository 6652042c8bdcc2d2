import type { Db } from './database';

/**
 * Named values per sample from imported CSVs (object type, batch, site...).
 * The evaluation reads one of them as the groups of its balanced error.
 */

export function setSampleAttribute(db: Db, sampleId: number, name: string, value: string): void {
  db.prepare(
    'INSERT INTO sample_attributes (sample_id, name, value) VALUES (?, ?, ?) ON CONFLICT(sample_id, name) DO UPDATE SET value = excluded.value',
  ).run(sampleId, name, value);
}

/** sample id → value of one attribute, for the samples that have it. */
export function readSampleAttribute(db: Db, name: string): Map<number, string> {
  const rows = db.prepare('SELECT sample_id, value FROM sample_attributes WHERE name = ?').raw().all(name) as [number, string][];
  return new Map(rows);
}

export function attributeNames(db: Db): string[] {
  return db.prepare('SELECT DISTINCT name FROM sample_attributes ORDER BY name').pluck().all() as string[];
}

/** A reader of one sample's attributes (name → value), its statement prepared once for a whole export. */
export function sampleAttributesReader(db: Db): (sampleId: number) => Record<string, string> {
  const statement = db.prepare('SELECT name, value FROM sample_attributes WHERE sample_id = ?').raw();
  return (sampleId) => Object.fromEntries(statement.all(sampleId) as [string, string][]);
}
