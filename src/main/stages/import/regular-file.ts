import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { messageOf } from '../../core/errors';

/**
 * Largest file import or `labels import` reads, in bytes, unless the caller
 * passes another limit: 1 GiB. A 100-megapixel 16-bit RGBA TIFF (the pixel
 * limit at its widest) fits; a runaway file (a disk image, a video named
 * .tif) is refused before a byte of it is read.
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 ** 3;

/** Bytes read per step when a file is hashed without holding it whole. */
export const HASH_CHUNK_BYTES = 1024 * 1024;

/** A file refused before (or instead of) reading it, with a reason a user understands. */
export class FileRefused extends Error {}

/**
 * Why `stat` (of the path, links followed, the file never opened) is not a
 * regular file, or null when it is. Opening a FIFO for reading blocks until a
 * writer comes and a device can be endless (/dev/zero), so neither is opened.
 */
export function notRegularReason(stat: fs.Stats): string | null {
  if (stat.isFile()) return null;
  const kind = stat.isFIFO()
    ? 'a named pipe (FIFO)'
    : stat.isCharacterDevice()
      ? 'a character device'
      : stat.isBlockDevice()
        ? 'a block device'
        : stat.isSocket()
          ? 'a socket'
          : stat.isDirectory()
            ? 'a folder'
            : 'not a plain file';
  return `not a regular file: ${kind}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function checkStat(stat: fs.Stats, maxBytes: number): void {
  const notRegular = notRegularReason(stat);
  if (notRegular) throw new FileRefused(notRegular);
  if (stat.size > maxBytes) throw new FileRefused(`too big: ${formatBytes(stat.size)} exceeds the ${formatBytes(maxBytes)} per-file limit`);
}

function refusalOf(err: unknown): FileRefused {
  if (err instanceof FileRefused) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new FileRefused('permission denied');
  if (code === 'ENOENT') return new FileRefused('file not found');
  if (code === 'ELOOP') return new FileRefused('symlink loop');
  return new FileRefused(`unreadable: ${code ?? messageOf(err)}`);
}

/**
 * The path's kind and size are checked from stat, then it is opened
 * non-blocking and checked again on the descriptor: a file swapped for a FIFO
 * between the two is refused too, and never waited on.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/** An open regular file no larger than `maxBytes`, with its size; throws FileRefused. */
export async function openRegularFile(file: string, maxBytes: number): Promise<{ handle: fs.promises.FileHandle; size: number }> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    checkStat(await fs.promises.stat(file), maxBytes);
    handle = await fs.promises.open(file, OPEN_FLAGS);
    const stat = await handle.stat();
    checkStat(stat, maxBytes);
    return { handle, size: stat.size };
  } catch (err) {
    await handle?.close();
    throw refusalOf(err);
  }
}

/** The synchronous twin of openRegularFile, for code that runs inside one SQLite transaction's preparation. */
export function openRegularFileSync(file: string, maxBytes: number): { fd: number; size: number } {
  let fd: number | undefined;
  try {
    checkStat(fs.statSync(file), maxBytes);
    fd = fs.openSync(file, OPEN_FLAGS);
    const stat = fs.fstatSync(fd);
    checkStat(stat, maxBytes);
    return { fd, size: stat.size };
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    throw refusalOf(err);
  }
}

/** Reads exactly `size` bytes from the start (fewer if the file shrank): never more than was checked against the limit. */
export async function readExactly(handle: fs.promises.FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

/** readExactly for a descriptor from openRegularFileSync. */
export function readExactlySync(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const bytesRead = fs.readSync(fd, bytes, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

/** SHA-256 (hex) of the first `size` bytes, read one chunk at a time: memory stays at one chunk whatever the file's size. */
export async function hashOpenFile(handle: fs.promises.FileHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, Math.max(size, 1)));
  for (let position = 0; position < size; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/** hashOpenFile for a descriptor from openRegularFileSync. */
export function hashOpenFileSync(fd: number, size: number): string {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, Math.max(size, 1)));
  for (let position = 0; position < size; ) {
    const bytesRead = fs.readSync(fd, chunk, 0, Math.min(chunk.length, size - position), position);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}
