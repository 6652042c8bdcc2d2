import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { after } from 'node:test';

/**
 * Real file-system conditions, when this machine lets the test make them:
 * a tiny tmpfs that fills up, a read-only bind mount, an immutable file.
 * Each returns null (with the reason) where it cannot, so the caller falls
 * back to another real mechanism and says which one it used.
 */
function run(command: string, args: string[]): string | null {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
    return null;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return `${command} ${args.join(' ')}: ${stderr || (err as Error).message}`;
  }
}

function unmountAfter(dir: string): void {
  after(() => {
    run('umount', ['-l', dir]);
  });
}

export function mountTinyTmpfs(dir: string, sizeBytes: number): { ok: true } | { ok: false; why: string } {
  fs.mkdirSync(dir, { recursive: true });
  const failed = run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'farpoint-test', dir]);
  if (failed) return { ok: false, why: failed };
  unmountAfter(dir);
  return { ok: true };
}

/** `target` shows `source` read-only: writes through it fail with EROFS, whoever the user is. */
export function mountReadOnlyView(source: string, target: string): { ok: true } | { ok: false; why: string } {
  fs.mkdirSync(target, { recursive: true });
  const bound = run('mount', ['--bind', source, target]);
  if (bound) return { ok: false, why: bound };
  unmountAfter(target);
  const readOnly = run('mount', ['-o', 'remount,ro,bind', target]);
  return readOnly ? { ok: false, why: readOnly } : { ok: true };
}

export function unmount(dir: string): void {
  const failed = run('umount', [dir]);
  if (failed) throw new Error(failed);
}

/** chattr +i: even root cannot open the file for writing (plain chmod does not stop root). */
export function setImmutable(file: string, on: boolean): string | null {
  return run('chattr', [on ? '+i' : '-i', file]);
}

/** Fills the file system holding `dir` until the kernel answers ENOSPC; returns the filler's path. */
export function fillDisk(dir: string): string {
  const filler = `${dir}/filler.bin`;
  const fd = fs.openSync(filler, 'w');
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size, 0xa5);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}
