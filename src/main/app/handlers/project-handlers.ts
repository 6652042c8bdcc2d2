import type { projectRequests } from '../../../shared/contract/project-requests';
import { lastImportSummary } from '../../store/import-runs';
import { listSamplePage } from '../../store/sample-pages';
import { getSample } from '../../store/samples';
import type { HandlersFor } from './handler-types';
import { readRecentProjects } from '../recent-projects';
import type { Session } from '../session';
import { changeSettings, restartThumbnailsJob } from '../window-change';

export function projectHandlers(session: Session): HandlersFor<typeof projectRequests> {
  return {
    listRecentProjects: () => readRecentProjects(),
    openProject: ({ path }) => session.open(path).status(),
    createProject: ({ path, importFolder, maxFileMegabytes }) => {
      const project = session.open(path, { create: true });
      const importJob = importFolder ? session.startJob('import', { folder: importFolder, maxFileMegabytes }) : null;
      return { status: project.status(), importJob };
    },
    getStatus: () => session.project.status(),
    updateSettings: (patch) => {
      const { settings, rerenderThumbnails } = changeSettings(session.project.db, patch);
      if (rerenderThumbnails) restartThumbnailsJob(session);
      session.changed(['settings', 'queue']);
      return settings;
    },
    listSamples: ({ status, after, at, limit }) =>
      listSamplePage(session.project.db, status, after !== undefined ? { after } : at !== undefined ? { at } : null, limit),
    getSample: ({ id }) => getSample(session.project.db, id),
    importFolder: ({ folder, maxFileMegabytes }) => session.startJob('import', { folder, maxFileMegabytes }),
    lastImportReport: () => lastImportSummary(session.project.db),
    listJobs: () => session.jobs.list(),
    getJob: ({ id }) => session.jobs.get(id),
    cancelJob: ({ id }) => session.jobs.cancel(id),
  };
}
