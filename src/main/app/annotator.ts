import fs from 'node:fs';
import path from 'node:path';
import type { AnnotatorInfo } from '../../shared/domain';
import { configDir } from '../core/runtime/paths';
import { safeUserName, type Project } from '../store/project';

/**
 * The annotator's name, set once in the app and kept for this user in the
 * config folder (it names a person, not a project). FARPOINT_AUTHOR, when
 * set, wins: scripted runs name themselves.
 */
function annotatorFile(): string {
  return path.join(configDir(), 'annotator.json');
}

export function savedAnnotator(): string | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(annotatorFile(), 'utf8')) as { name?: unknown };
    return typeof parsed.name === 'string' && parsed.name.trim() !== '' ? parsed.name : null;
  } catch {
    return null;
  }
}

export function applySavedAnnotator(project: Project): void {
  const saved = savedAnnotator();
  if (saved && !process.env.FARPOINT_AUTHOR) project.author = saved;
}

export function annotatorInfo(project: Project): AnnotatorInfo {
  return { name: project.author, osUser: safeUserName() };
}

/** Sets who is labeling from now on; remembered for the next start (a read-only home folder only loses the memory). */
export function setAnnotator(project: Project, name: string): AnnotatorInfo {
  project.author = name;
  try {
    fs.mkdirSync(configDir(), { recursive: true });
    const tmp = `${annotatorFile()}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ name }));
    fs.renameSync(tmp, annotatorFile());
  } catch {
    // Kept for this session all the same.
  }
  return annotatorInfo(project);
}
