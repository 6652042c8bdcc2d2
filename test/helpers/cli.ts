import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cliSource = path.join(repoRoot, 'src', 'main', 'doors', 'cli', 'main.ts');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `farpoint` from source, as a separate process, the way a user would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function spawnCli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export { repoRoot };
