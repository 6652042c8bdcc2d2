import type { ProjectSettings } from '../../shared/domain';
import { DEFAULT_WINDOW_SETTING } from '../../shared/window-level';
import { DEFAULT_IMAGE_ADJUSTMENTS } from '../../shared/image-adjustments';
import { writeOrExplain, type Db } from './database';

export const defaultSettings: ProjectSettings = {
  angleMode: 'full',
  strategy: 'fps',
  randomSeed: 1,
  typiclustBatch: 10,
  inputSize: 64,
  latentDim: 32,
  channels: 1,
  window: DEFAULT_WINDOW_SETTING,
  keepPatientAttributes: false,
  imageAdjustments: DEFAULT_IMAGE_ADJUSTMENTS,
};

export function readMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Every caller (settings, the queue front, TypiClust's batch…) gets the 423 with the reason on a full or read-only disk. */
export function writeMeta(db: Db, key: string, value: string): void {
  writeOrExplain(() => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value));
}

export function deleteMeta(db: Db, key: string): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key);
}

export function readSettings(db: Db): ProjectSettings {
  const raw = readMeta(db, 'settings');
  if (!raw) return { ...defaultSettings };
  return { ...defaultSettings, ...(JSON.parse(raw) as Partial<ProjectSettings>) };
}

export function updateSettings(db: Db, patch: Partial<ProjectSettings>): ProjectSettings {
  const next = writeOrExplain(() => db.transaction(() => {
    const merged: ProjectSettings = { ...readSettings(db) };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
    writeMeta(db, 'settings', JSON.stringify(merged));
    return merged;
  }).immediate());
  return next;
}

export function currentModelId(db: Db): number | null {
  const raw = readMeta(db, 'current_model_id');
  return raw === null ? null : Number(raw);
}

export function setCurrentModelId(db: Db, id: number): void {
  writeMeta(db, 'current_model_id', String(id));
}
