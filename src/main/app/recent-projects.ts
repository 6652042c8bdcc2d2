import fs from 'node:fs';
import path from 'node:path';
import { configDir } from '../core/runtime/paths';

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

const MAX_RECENT = 12;

function recentFile(): string {
  return path.join(configDir(), 'recent-projects.json');
}

export function readRecentProjects(): RecentProject[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(recentFile(), 'utf8')) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((p): p is RecentProject => typeof p?.path === 'string' && typeof p?.name === 'string' && typeof p?.openedAt === 'string');
  } catch {
    return [];
  }
}

/** Remembers a project; a failure to write the list never stops the project from opening. */
export function rememberProject(file: string, name: string): void {
  const entry: RecentProject = { path: file, name, openedAt: new Date().toISOString() };
  const list = [entry, ...readRecentProjects().filter((p) => p.path !== file)].slice(0, MAX_RECENT);
  try {
    fs.mkdirSync(configDir(), { recursive: true });
    const tmp = `${recentFile()}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(list, null, 2));
    fs.renameSync(tmp, recentFile());
  } catch {
    // Read-only home folders are common on locked-down sites.
  }
}
