import type { JobProgress, ProjectSettings } from '../../shared/domain';
import { windowSettingKey } from '../../shared/window-level';
import { rerenderDicomThumbnails, type RerenderSummary } from '../stages/import/dicom/rerender-thumbnails';
import type { Db } from '../store/database';
import { hasDicomSamples } from '../store/dicom-thumbnails';
import { noteWindowChange } from '../store/model-input-window';
import { Project } from '../store/project';
import { readSettings, updateSettings } from '../store/settings';
import type { Session } from './session';

/**
 * A change of the project's settings. The window/level decides the pixels
 * of every DICOM thumbnail and of the autoencoder's input, so a new window
 * is noted against the current model (its status then says to train again)
 * and says whether DICOM thumbnails must be rendered again.
 */
export function changeSettings(db: Db, patch: Partial<ProjectSettings>): { settings: ProjectSettings; rerenderThumbnails: boolean } {
  const before = readSettings(db).window;
  const settings = updateSettings(db, patch);
  const windowChanged = windowSettingKey(before) !== windowSettingKey(settings.window);
  if (windowChanged) noteWindowChange(db, before);
  return { settings, rerenderThumbnails: windowChanged && hasDicomSamples(db) };
}

/**
 * Starts the job that renders DICOM thumbnails with the project's window,
 * cancelling one that is waiting or running with an older window: while
 * the user drags the window in Annotate, only the last one finishes.
 */
export function restartThumbnailsJob(session: Session): void {
  for (const job of session.jobs.list()) {
    if (job.kind === 'thumbnails' && (job.state === 'queued' || job.state === 'running')) session.jobs.cancel(job.id);
  }
  session.startJob('thumbnails', {});
}

/** For the CLI: change the settings and, when the window changed, render the DICOM thumbnails again here, with progress. */
export async function changeSettingsOf(
  projectFile: string,
  patch: Partial<ProjectSettings>,
  onProgress?: (progress: JobProgress) => void,
): Promise<{ settings: ProjectSettings; thumbnails: RerenderSummary | null; modelInputChanged: string | null }> {
  const project = Project.open(projectFile);
  try {
    const { settings, rerenderThumbnails } = changeSettings(project.db, patch);
    const thumbnails = rerenderThumbnails ? await rerenderDicomThumbnails(project.db, { onProgress }) : null;
    return { settings, thumbnails, modelInputChanged: project.status().modelInputChanged };
  } finally {
    project.close();
  }
}
