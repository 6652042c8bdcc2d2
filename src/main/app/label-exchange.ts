import fs from 'node:fs';
import path from 'node:path';
import type { ProjectSettings } from '../../shared/domain';
import type { AgreementReport, Conflict, MergeReport, MergeSummary } from '../../shared/label-exchange';
import { FarpointError, messageOf } from '../core/errors';
import { computeAgreement, listConflicts } from '../stages/labels/agreement';
import { exportLabelPack, mergeLabelPack, validateLabelPack } from '../stages/labels/label-pack';
import type { Db } from '../store/database';
import { Project } from '../store/project';
import { readSettings, updateSettings } from '../store/settings';

/**
 * Label exchange, agreement and the DICOM settings as the CLI and the
 * request handlers both use them: files in and out, checked, with messages
 * that name the file.
 */

export function writeLabelPack(db: Db, projectFile: string, file: string): { file: string; samples: number; annotations: number } {
  const pack = exportLabelPack(db, projectFile);
  const target = path.resolve(file);
  try {
    // Written beside the target and renamed: an interrupted export never leaves half a pack under the real name.
    fs.writeFileSync(`${target}.partial`, JSON.stringify(pack));
    fs.renameSync(`${target}.partial`, target);
  } catch (err) {
    throw new FarpointError(`cannot write ${target}: ${messageOf(err)}`);
  }
  return { file: target, samples: pack.samples.length, annotations: pack.samples.reduce((n, s) => n + s.annotations.length, 0) };
}

export function mergeLabelPackFile(db: Db, file: string): MergeSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FarpointError(missing ? `label pack not found: ${file}` : `cannot read label pack ${file}: ${messageOf(err)}`, missing ? 404 : 400);
  }
  return mergeLabelPack(db, validateLabelPack(raw, file));
}

/**
 * A merge as the app reports it: the summary, the project's conflicts after
 * it, and which of them it raised (compared with the conflicts before, by
 * sample and labels), so merging a pack again shows nothing new.
 */
export function mergeWithReport(db: Db, file: string, tolerance: number): MergeReport {
  const signature = (c: Conflict) => `${c.sampleId}:${c.labels.map((l) => `${l.author}\u0000${l.angle}\u0000${l.from}`).join('\u0001')}`;
  const before = new Set(listConflicts(db, tolerance).map(signature));
  const summary = mergeLabelPackFile(db, file);
  const conflicts = listConflicts(db, tolerance);
  return { ...summary, tolerance, conflicts, newConflicts: conflicts.filter((c) => !before.has(signature(c))).map((c) => c.sampleId) };
}

/** For the CLI: each opens the project file, does one thing, and closes it. */
export function withProjectFile<T>(projectFile: string, work: (project: Project) => T): T {
  const project = Project.open(projectFile);
  try {
    return work(project);
  } finally {
    project.close();
  }
}

export const exportPackOf = (projectFile: string, out: string) => withProjectFile(projectFile, (p) => writeLabelPack(p.db, p.path, out));

export const mergePackInto = (projectFile: string, pack: string, tolerance: number): MergeSummary & { conflicts: Conflict[] } =>
  withProjectFile(projectFile, (p) => ({ ...mergeLabelPackFile(p.db, pack), conflicts: listConflicts(p.db, tolerance) }));

export const agreementOf = (projectFile: string): AgreementReport => withProjectFile(projectFile, (p) => computeAgreement(p.db));

export const dicomSettingsOf = (projectFile: string, patch: Partial<ProjectSettings>): ProjectSettings =>
  withProjectFile(projectFile, (p) => (Object.keys(patch).length > 0 ? updateSettings(p.db, patch) : readSettings(p.db)));
