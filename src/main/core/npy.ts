/**
 * NumPy .npy format version 1.0 for a C-order float32 matrix: magic, version,
 * little-endian header length, a Python-dict header padded with spaces to a
 * multiple of 64 bytes and ending in a newline, then the raw data.
 */
export function npyFloat32(values: Float32Array, rows: number, cols: number): Buffer {
  if (values.length !== rows * cols) throw new Error(`npy: ${values.length} values do not make ${rows}×${cols}`);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const prefix = 10; // magic (6) + version (2) + header length (2)
  const unpadded = prefix + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = dict + ' '.repeat(padding) + '\n';
  const out = Buffer.alloc(prefix + header.length + values.byteLength);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, prefix, 'latin1');
  const data = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  // Our float32 arrays are little-endian on every platform Node supports.
  data.copy(out, prefix + header.length);
  return out;
}
