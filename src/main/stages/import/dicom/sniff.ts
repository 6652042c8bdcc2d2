import fs from 'node:fs/promises';

/** A DICOM Part 10 file: a 128-byte preamble, then the magic `DICM` (PS3.10 §7.1). How files are recognised, whatever their name. */
export const DICOM_MAGIC_OFFSET = 128;

export function isDicom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= DICOM_MAGIC_OFFSET + 4 &&
    bytes[128] === 0x44 && // D
    bytes[129] === 0x49 && // I
    bytes[130] === 0x43 && // C
    bytes[131] === 0x4d // M
  );
}

/** Reads the first 132 bytes of a file; an unreadable or short file is not DICOM here (its reader reports why later). */
export async function fileHasDicomMagic(file: string): Promise<boolean> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const head = Buffer.alloc(DICOM_MAGIC_OFFSET + 4);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isDicom(head.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
