import { formatRate } from '../../../shared/progress-rate';
import type { CliOutput } from './command';

export function createOutput(json: boolean): CliOutput {
  const tty = process.stderr.isTTY === true;
  let lastProgress = 0;
  let progressShown = false;
  return {
    result(data, human) {
      if (progressShown && tty) process.stderr.write('\n');
      progressShown = false;
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
    },
    note(line) {
      if (progressShown && tty) process.stderr.write('\n');
      progressShown = false;
      process.stderr.write(`${line}\n`);
    },
    progress(line) {
      // On a terminal, one line rewritten in place; in logs, a line every 2 s at most.
      const now = Date.now();
      if (tty) {
        process.stderr.write(`\r\x1b[K${line}`);
        progressShown = true;
      } else if (now - lastProgress > 2000) {
        process.stderr.write(`${line}\n`);
        lastProgress = now;
      }
    },
  };
}

export function formatProgress(p: { done: number; total: number; unit: string; message: string; rate?: number; etaSeconds?: number }): string {
  const pct = p.total > 0 ? ` ${((100 * p.done) / p.total).toFixed(0)}%` : '';
  const rate = p.rate ? `, ${formatRate(p.rate, p.unit)}` : '';
  const eta = p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds) && p.done < p.total ? `, ${Math.ceil(p.etaSeconds)} s left` : '';
  return `${p.message}${pct} (${p.done}/${p.total}${rate}${eta})`;
}
