import fs from 'node:fs';

/**
 * CPU seconds the calling thread has run (Linux: utime + stime of
 * /proc/thread-self/stat, in 1/100 s), or null where that file does not
 * exist. process.cpuUsage() counts every thread of the process, which cannot
 * tell how two training threads share the work.
 */
export function threadCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
