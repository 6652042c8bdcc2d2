import type { RecentProject } from '../../app/recent-projects';

/**
 * Which project the window opens at start: one named on the command line
 * (`--project=FILE`, `--project FILE`, or a `*.farpoint` argument, which is
 * also how a double-clicked project file arrives), else FARPOINT_PROJECT,
 * else the most recently opened project that still exists, else none (the
 * window then offers to open or create one). Same choice `npm start` makes.
 */
export function chooseStartupProject(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  recent: readonly RecentProject[],
  exists: (file: string) => boolean,
): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--project=')) return arg.slice('--project='.length) || null;
    if (arg === '--project' && argv[i + 1]) return argv[i + 1]!;
  }
  const positional = argv.find((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith('.farpoint'));
  if (positional) return positional;
  if (env.FARPOINT_PROJECT) return env.FARPOINT_PROJECT;
  return recent.find((project) => exists(project.path))?.path ?? null;
}
