import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand, CliOutput } from '../command';
import { numberOption } from '../command';
import { listConflicts } from '../../labels/agreement';
import { exportLabelPack, mergeLabelPack, validateLabelPack } from '../../labels/label-pack';
import { FarpointError } from '../../errors';
import { importLabels } from '../../labels/import-labels';
import { Project } from '../../project/project';

const SUBCOMMANDS = ['import', 'export-pack', 'merge'] as const;

export const labelsCommand: CliCommand = {
  name: 'labels',
  args: 'import PROJECT CSV | export-pack PROJECT OUT | merge PROJECT PACK',
  summary: 'Import ground-truth angles from a CSV (path, angle in degrees) as labels from source "imported".',
  details:
    'The CSV has a header naming a path column (path, file, image...) and an angle column (angle, angle_deg...),\n' +
    'or no header and the columns path,angle. Paths are absolute or relative to the CSV. A row matches a sample\n' +
    'by path, else by the content (SHA-256) of the file at that path. Other columns (object_type, say) are kept\n' +
    'per sample and can group the balanced error of `farpoint evaluate --group-column NAME`.\n' +
    'Rows that are malformed or match no sample are listed by line number and not imported; the good rows go in\n' +
    'one transaction. Re-importing the same file appends nothing.\n' +
    'export-pack writes every annotation (full history: annotator, time, source) with each image\'s content hash\n' +
    'and no pixels or paths, for another site. merge adds a pack\'s annotations to the images with the same\n' +
    'content (never by path) beside the local history: nothing local is overwritten, merging twice adds nothing,\n' +
    'and samples whose annotators differ by more than --tolerance degrees (default 10) are listed as conflicts.',
  options: {
    tolerance: { type: 'string', value: 'DEG', description: 'merge: angles further apart than this are a conflict (default 10)' },
  },
  minArgs: 3,
  maxArgs: 3,
  async run(ctx) {
    const { positionals, out } = ctx;
    const [sub, projectPath, target] = positionals as [string, string, string];
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new FarpointError(`unknown subcommand '${sub}': use farpoint labels import|export-pack|merge PROJECT FILE`);
    }
    if (sub === 'export-pack') return exportPack(projectPath, target, out);
    if (sub === 'merge') return mergePack(projectPath, target, numberOption(ctx, 'tolerance', { min: 0, max: 180 }) ?? 10, out);
    const csv = target;
    const project = Project.open(projectPath);
    try {
      const summary = importLabels(project.db, csv, project.author);
      out.result(summary, () => {
        const lines = [
          `imported ${summary.imported} labels from ${summary.file} (${summary.rows} rows; ${summary.unchanged} unchanged; ${summary.withoutAngle} without an angle; ${summary.matchedByHash} matched by content)`,
          `unmatched rows: ${summary.unmatched.length}; malformed rows: ${summary.malformed.length}` +
            (summary.attributes.length > 0 ? `; columns kept per sample: ${summary.attributes.join(', ')}` : ''),
        ];
        for (const p of summary.malformed) lines.push(`  line ${p.line}: malformed: ${p.reason}${p.path ? ` (${p.path})` : ''}`);
        for (const p of summary.unmatched) lines.push(`  line ${p.line}: unmatched: ${p.reason}`);
        return lines.join('\n');
      });
    } finally {
      project.close();
    }
  },
};

function exportPack(projectPath: string, file: string, out: CliOutput): void {
  const project = Project.open(projectPath);
  try {
    const pack = exportLabelPack(project.db, project.path);
    const target = path.resolve(file);
    // Written beside the target and renamed: an interrupted export never leaves half a pack under the real name.
    fs.writeFileSync(`${target}.partial`, JSON.stringify(pack));
    fs.renameSync(`${target}.partial`, target);
    const annotations = pack.samples.reduce((n, s) => n + s.annotations.length, 0);
    out.result({ file: target, samples: pack.samples.length, annotations }, () => `wrote ${annotations} annotations of ${pack.samples.length} images to ${target}`);
  } finally {
    project.close();
  }
}

function mergePack(projectPath: string, file: string, tolerance: number, out: CliOutput): void {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FarpointError(code === 'ENOENT' ? `label pack not found: ${file}` : `cannot read label pack ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const pack = validateLabelPack(raw, file);
  const project = Project.open(projectPath);
  try {
    const summary = mergeLabelPack(project.db, pack);
    const conflicts = listConflicts(project.db, tolerance);
    out.result({ ...summary, tolerance, conflicts }, () => {
      const lines = [
        `merged ${summary.added} annotations from ${summary.origin} (${summary.alreadyMerged} already here); ${summary.matchedImages} images matched by content, ${summary.unmatchedImages} not in this project`,
        `conflicts (annotators more than ${tolerance}° apart): ${conflicts.length}`,
      ];
      for (const c of conflicts) lines.push(`  ${c.path}: ${c.labels.map((l) => `${l.author} ${l.angle.toFixed(1)}°${l.from === 'local' ? '' : ` (${l.from})`}`).join(', ')}; ${c.maxDifference.toFixed(1)}° apart`);
      return lines.join('\n');
    });
  } finally {
    project.close();
  }
}
