import { z } from 'zod';
import { Project } from '../../store/project';
import type { JobHandler } from '../../core/job-types';
import { importFolder } from './import-folder';

const importParams = z.object({ folder: z.string().min(1), maxFileMegabytes: z.number().int().positive().optional() });

export const importJob: JobHandler = async (params, ctx) => {
  const { folder, maxFileMegabytes } = importParams.parse(params);
  const project = Project.open(ctx.projectPath);
  try {
    return await importFolder(project.db, folder, {
      onProgress: ctx.progress,
      isCancelled: ctx.isCancelled,
      maxFileBytes: maxFileMegabytes === undefined ? undefined : maxFileMegabytes * 1024 * 1024,
    });
  } finally {
    project.close();
  }
};
