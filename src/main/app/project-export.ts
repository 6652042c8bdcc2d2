import fs from 'node:fs';
import path from 'node:path';
import { FarpointError } from '../core/errors';
import { exportProject, type ExportFormat } from '../stages/export/export-project';
import { Project } from '../store/project';

export type { ExportFormat };

/** Writes the export of the project file at `projectPath` chunk by chunk (the CLI's stdout). */
export function exportProjectTo(projectPath: string, format: ExportFormat, write: (chunk: string) => void): { samples: number; labeled: number } {
  const project = Project.open(projectPath);
  try {
    return exportProject(project.db, format, write);
  } finally {
    project.close();
  }
}

/**
 * Writes the export to `file`: beside it first and renamed, so an interrupted
 * export never leaves half a file under the real name.
 */
export function exportProjectToFile(projectPath: string, format: ExportFormat, file: string): { file: string; samples: number; labeled: number } {
  const project = Project.open(projectPath);
  try {
    const target = path.resolve(file);
    const partial = `${target}.partial`;
    let fd: number;
    try {
      fd = fs.openSync(partial, 'w');
    } catch (err) {
      throw new FarpointError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    let counts: { samples: number; labeled: number };
    try {
      counts = exportProject(project.db, format, (chunk) => fs.writeSync(fd, chunk));
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(partial, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    fs.renameSync(partial, target);
    return { file: target, ...counts };
  } finally {
    project.close();
  }
}
