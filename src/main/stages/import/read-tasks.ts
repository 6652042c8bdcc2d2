import { renderFrameThumbnails } from './dicom/frame-thumbnails';
import type { ReadDicomOptions } from './dicom/read-dicom';
import type { ReadLimits } from './read-image';
import type { PixelSpec } from './model-input';
import { readOrReason } from './read-or-reason';

/**
 * What a reading thread (read-worker.ts) can be asked to do, by name. Each
 * takes one plain object and resolves (never rejects) with a plain object,
 * since both cross a thread; a file that fails gives its reason instead.
 */
export const readTasks = {
  /** One file's samples for an import, or its skip reason. */
  samples: (task: { file: string; limits: ReadLimits; dicom: ReadDicomOptions; modelSpec?: PixelSpec | null }) => readOrReason(task.file, task.limits, task.dicom, task.modelSpec ?? null),
  /** DICOM frames' thumbnails under a new window. */
  thumbnails: renderFrameThumbnails,
};

export type ReadTaskName = keyof typeof readTasks;
export type ReadTaskInput<K extends ReadTaskName> = Parameters<(typeof readTasks)[K]>[0];
export type ReadTaskOutput<K extends ReadTaskName> = Awaited<ReturnType<(typeof readTasks)[K]>>;

/** Runs a task on this thread: for small jobs, and where no reading thread is started. */
export function runReadTask<K extends ReadTaskName>(name: K, input: ReadTaskInput<K>): Promise<ReadTaskOutput<K>> {
  return (readTasks[name] as (input: ReadTaskInput<K>) => Promise<ReadTaskOutput<K>>)(input);
}
