import { windowSettingKey, type WindowSetting } from '../../shared/window-level';
import type { Db } from './database';
import { hasDicomSamples } from './dicom-thumbnails';
import { currentModelId, readMeta, readSettings, writeMeta } from './settings';

/** The window the current model was trained with, kept from the first change of the window after its training. */
interface ModelWindow {
  modelId: number;
  window: WindowSetting;
}

const KEY = 'model_input_window';

/**
 * Notes a change of the project's window away from `previous`. The
 * autoencoder saw its DICOM inputs rendered with the window in force when it
 * was trained, so the first change after a model's training records that
 * window against the model; later changes keep it, and changing back clears the notice.
 */
export function noteWindowChange(db: Db, previous: WindowSetting): void {
  const modelId = currentModelId(db);
  if (modelId === null || !hasDicomSamples(db)) return;
  const noted = readNoted(db);
  if (noted?.modelId === modelId) return;
  writeMeta(db, KEY, JSON.stringify({ modelId, window: previous } satisfies ModelWindow));
}

/** Why the current model should be trained again because the window changed since, or null. */
export function modelInputChangedReason(db: Db): string | null {
  const noted = readNoted(db);
  const modelId = currentModelId(db);
  if (!noted || noted.modelId !== modelId) return null;
  if (windowSettingKey(noted.window) === windowSettingKey(readSettings(db).window)) return null;
  return `the window/level changed after model ${modelId} was trained, so the DICOM images the model sees are no longer the ones it was trained on: train again (Train, or farpoint train then embed) for the latent space, the queue and the map to follow the new window`;
}

function readNoted(db: Db): ModelWindow | null {
  const raw = readMeta(db, KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as ModelWindow;
  } catch {
    // A damaged note is no reason to stop: the next change of the window writes it again.
    return null;
  }
}
