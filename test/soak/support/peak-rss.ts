import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../helpers/cli';

const child = path.join(repoRoot, 'test', 'soak', 'support', 'peak-rss-cli.ts');

export interface MeasuredRun {
  status: number;
  stdout: string;
  stderr: string;
  peakRssBytes: number;
}

/** Runs a `farpoint` command in its own process and reports its peak RSS (asynchronously: the test's event loop keeps running). */
export function runCliMeasured(args: string[]): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const peak = /PEAK_RSS_BYTES=(\d+)/.exec(stderr);
      resolve({ status: code ?? -1, stdout, stderr, peakRssBytes: peak ? Number(peak[1]) : NaN });
    });
  });
}
