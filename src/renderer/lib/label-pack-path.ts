/** A pack file name beside the project: "/data/line3.farpoint" → "/data/line3-labels.json". */
export function defaultPackPath(projectPath: string | undefined): string {
  if (!projectPath) return '';
  return `${projectPath.replace(/\.farpoint$/i, '')}-labels.json`;
}
