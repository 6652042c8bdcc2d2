import fs from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../../core/errors';
import { fileHasDicomMagic } from './dicom/sniff';

/** Extensions sharp decodes that Farpoint imports. Other files in the folder are counted as ignored, not reported. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif']);

export type ScanEntry = { kind: 'image'; path: string } | { kind: 'skipped'; path: string; reason: string } | { kind: 'ignored'; path: string };

/**
 * Walks a folder recursively in a stable (sorted) order. Symbolic links to
 * folders are followed once: a link back into a folder already on the walk is
 * reported as a loop instead of recursing forever.
 */
export async function* scanFolder(root: string): AsyncGenerator<ScanEntry> {
  const rootReal = await fs.realpath(root);
  yield* walk(root, new Set([rootReal]));
}

async function* walk(dir: string, ancestors: Set<string>): AsyncGenerator<ScanEntry> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch (err) {
    yield { kind: 'skipped', path: dir, reason: `folder unreadable: ${codeOrMessage(err)}` };
    return;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    // Node decodes names as UTF-8; a name that is not valid UTF-8 comes back with U+FFFD and cannot be opened by it.
    if (name.includes('\uFFFD')) {
      yield { kind: 'skipped', path: full, reason: 'file name is not valid UTF-8: rename the file to import it' };
      continue;
    }
    let stat;
    try {
      const lstat = await fs.lstat(full);
      stat = lstat.isSymbolicLink() ? await fs.stat(full) : lstat;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') yield { kind: 'skipped', path: full, reason: 'symlink loop' };
      else if (code === 'ENOENT') yield { kind: 'skipped', path: full, reason: 'broken symlink' };
      else yield { kind: 'skipped', path: full, reason: `unreadable: ${codeOrMessage(err)}` };
      continue;
    }
    if (stat.isDirectory()) {
      let real: string;
      try {
        real = await fs.realpath(full);
      } catch (err) {
        yield { kind: 'skipped', path: full, reason: `unreadable: ${codeOrMessage(err)}` };
        continue;
      }
      if (ancestors.has(real)) {
        yield { kind: 'skipped', path: full, reason: 'symlink loop (links back to a parent folder)' };
        continue;
      }
      ancestors.add(real);
      yield* walk(full, ancestors);
      ancestors.delete(real);
    } else if (IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase())) {
      // Pipes, sockets and devices named like images are reported, never opened (reading a pipe would block).
      if (stat.isFile()) yield { kind: 'image', path: full };
      else yield { kind: 'skipped', path: full, reason: 'not a regular file (pipe, socket or device)' };
    } else if (stat.isFile() && (await fileHasDicomMagic(full))) {
      // DICOM files often have no extension, or one a modality made up: they are recognised by content.
      yield { kind: 'image', path: full };
    } else {
      yield { kind: 'ignored', path: full };
    }
  }
}


function codeOrMessage(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? messageOf(err);
}
