import { checkIntegrity, describeDamage, type IntegrityReport } from '../store/integrity';
import { Project } from '../store/project';
import { recoverProject, type RecoveryReport } from '../store/recover';

export type { RecoveryReport };

/** `farpoint check`: the whole file's quick_check, opened read-only; damage is null when the file is sound. */
export function checkProjectFile(file: string): IntegrityReport & { path: string; damage: string | null } {
  const project = Project.open(file, { readonly: true });
  try {
    const report = checkIntegrity(project.db, 'whole file');
    return { path: project.path, ...report, damage: describeDamage(project.path, report) };
  } finally {
    project.close();
  }
}

/** `farpoint recover`: everything still readable, labels first, into a new project file. */
export function recoverProjectFile(from: string, to: string): RecoveryReport {
  return recoverProject(from, to);
}
