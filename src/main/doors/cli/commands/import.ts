import fs from 'node:fs';
import { requests } from '../../../../shared/contract';
import type { ImportSummary } from '../../../../shared/domain';
import { schemaIntOption, type CliCommand } from '../command';
import { withProject } from '../contract-client';
import { formatProgress } from '../output';

export const importCommand: CliCommand = {
  name: 'import',
  args: 'PROJECT DIR',
  summary: 'Import every image under DIR (recursive) into PROJECT, creating the project if needed.',
  details:
    'Formats: JPEG, PNG, WebP, TIFF, GIF, AVIF; 8- and 16-bit; gray, RGB, RGBA, CMYK. EXIF orientation is applied.\n' +
    'Exact duplicates (same SHA-256) are imported once and reported. Unreadable files are skipped and listed.\n' +
    'Safe to re-run or to run again after an interruption: files already imported are not read again.',
  options: {
    'max-file-mb': { type: 'string', value: 'N', description: 'skip files larger than N MiB unread (default 1024: 1 GiB)' },
  },
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const { positionals, out } = ctx;
    const maxFileMegabytes = schemaIntOption(ctx, 'max-file-mb', requests.importFolder.arg.shape.maxFileMegabytes);
    const [projectPath, dir] = positionals as [string, string];
    const created = !fs.existsSync(projectPath);
    const summary = await withProject(
      projectPath,
      async (client) => {
        if (created) out.note(`created project ${(await client.call('getStatus', {})).path}`);
        const job = await client.call('importFolder', { folder: dir, maxFileMegabytes });
        return (await client.finish(job.id, (p) => out.progress(formatProgress(p)))) as ImportSummary;
      },
      { create: created },
    );
    out.result(summary, () => {
      const lines = [
        `imported ${summary.imported} images from ${summary.folder} in ${summary.seconds.toFixed(1)} s (${summary.imagesPerSecond.toFixed(0)} images/s)`,
        `already in the project: ${summary.alreadyPresent}; exact duplicates: ${summary.duplicates.length}; skipped: ${summary.skipped.length}; other files ignored: ${summary.ignored}`,
      ];
      for (const d of summary.duplicates) lines.push(`  duplicate  ${d.path} (same content as ${d.duplicateOf})`);
      for (const s of summary.skipped) lines.push(`  skipped    ${s.path}: ${s.reason}`);
      return lines.join('\n');
    });
  },
};
