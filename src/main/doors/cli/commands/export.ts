import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand } from '../command';
import { stringOption } from '../command';
import { FarpointError } from '../../../core/errors';
import { exportProject, type ExportFormat } from '../../../stages/export/export-project';
import { Project } from '../../../store/project';

export const exportCommand: CliCommand = {
  name: 'export',
  args: 'PROJECT',
  summary: 'Export every sample with its current angle, source, who, when, and queue rank and strategy at labeling time.',
  details:
    'CSV: a first comment line stating the angle convention (0° = up, clockwise; axial projects 0–180°), then one row\n' +
    'per sample (path, angle_deg, content_hash, status, source, author, labeled_at, queue_rank, strategy, frame,\n' +
    'study_uid, series_uid, sop_uid, then any imported columns); unlabeled samples have an empty angle. It reads back\n' +
    'with `farpoint labels import`. JSON adds each sample\'s full annotation history and every evaluation run;\n' +
    'COCO writes images (with DICOM UIDs and frame) and one whole-image annotation per label with angle_deg as an\n' +
    'attribute. DICOM patient attributes appear only in projects that keep them. Without --out it prints to stdout.',
  options: {
    format: { type: 'string', value: 'FMT', description: 'csv (default), json or coco' },
    out: { type: 'string', value: 'FILE', description: 'write to FILE instead of stdout' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const format = (stringOption(ctx, 'format') ?? 'csv').toLowerCase();
    if (format !== 'csv' && format !== 'json' && format !== 'coco') throw new FarpointError(`--format must be csv, json or coco, got '${format}'`);
    const out = stringOption(ctx, 'out');
    const project = Project.open(ctx.positionals[0]!);
    try {
      if (!out) {
        exportProject(project.db, format as ExportFormat, (chunk) => process.stdout.write(chunk));
        return;
      }
      const target = path.resolve(out);
      // Written beside the target and renamed, so an interrupted export never leaves half a file under the real name.
      const partial = `${target}.partial`;
      let fd: number;
      try {
        fd = fs.openSync(partial, 'w');
      } catch (err) {
        throw new FarpointError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      let counts: { samples: number; labeled: number };
      try {
        counts = exportProject(project.db, format as ExportFormat, (chunk) => fs.writeSync(fd, chunk));
        fs.fsyncSync(fd);
      } catch (err) {
        fs.closeSync(fd);
        fs.rmSync(partial, { force: true });
        throw err;
      }
      fs.closeSync(fd);
      fs.renameSync(partial, target);
      ctx.out.result({ file: target, format, ...counts }, () => `exported ${counts.samples} samples (${counts.labeled} labeled) to ${target}`);
    } finally {
      project.close();
    }
  },
};
