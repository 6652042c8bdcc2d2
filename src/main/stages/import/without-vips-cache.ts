import sharp, { type CacheResult } from 'sharp';

let running = 0;
let saved: CacheResult | null = null;

/**
 * Runs `work` with libvips's operation cache off. That cache pays only when
 * an operation repeats on the same input; an import never repeats one, yet
 * with the cache on every decode is hashed, kept and, the cache being full,
 * evicts (frees) an older one: about a tenth of a thumbnail's CPU, measured
 * on 512 px JPEGs. The cache is process-wide (image requests from the UI
 * share it), so it comes back as it was when the last running import ends.
 */
export async function withoutVipsCache<T>(work: () => Promise<T>): Promise<T> {
  if (running++ === 0) {
    saved = sharp.cache();
    sharp.cache(false);
  }
  try {
    return await work();
  } finally {
    if (--running === 0 && saved) {
      sharp.cache({ memory: saved.memory.max, files: saved.files.max, items: saved.items.max });
      saved = null;
    }
  }
}
