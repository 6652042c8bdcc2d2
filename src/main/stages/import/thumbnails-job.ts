import { z } from 'zod';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { rerenderDicomThumbnails } from './dicom/rerender-thumbnails';

const thumbnailsParams = z.object({}).strict();

/** Renders the DICOM thumbnails again with the project's window (started when the window changes, and on open while some are stale). */
export const thumbnailsJob: JobHandler<'thumbnails'> = async (params, ctx) => {
  thumbnailsParams.parse(params);
  const project = Project.open(ctx.projectPath);
  try {
    return await rerenderDicomThumbnails(project.db, { onProgress: ctx.progress, isCancelled: ctx.isCancelled });
  } finally {
    project.close();
  }
};
