/**
 * A compact wire form for results that hold large typed arrays (the latent
 * map: 100,000 points). JSON spends hundreds of milliseconds writing and
 * parsing that many numbers on the thread that serves every other request;
 * this form copies the arrays' bytes as they are.
 *
 * Layout (little-endian, as every platform Farpoint ships on):
 *   bytes 0–3   magic 'FPB1'
 *   bytes 4–7   header length H (uint32)
 *   8 … 8+H     header: the value as ASCII JSON, each typed array replaced by
 *               { "$typed": constructor name, "offset": byte offset into the body, "length": elements }
 *   body        from the next multiple of 8: each array's bytes, each starting on a multiple of 8
 * Decoding makes views on the received buffer, so it copies nothing.
 */

export const BINARY_MIME = 'application/vnd.farpoint.binary';

const MAGIC = [0x46, 0x50, 0x42, 0x31]; // 'FPB1'
const PREFIX_BYTES = 8;

const typedArrays = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof typedArrays;
type AnyTyped = InstanceType<(typeof typedArrays)[TypedName]>;

interface TypedRef {
  $typed: TypedName;
  offset: number;
  length: number;
}

function typedNameOf(value: unknown): TypedName | null {
  if (!ArrayBuffer.isView(value)) return null;
  for (const name of Object.keys(typedArrays) as TypedName[]) if (value instanceof typedArrays[name]) return name;
  return null;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Non-ASCII characters as \u escapes: the header stays valid JSON and one byte per character, with no text codec needed. */
function asciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Encodes `value` as chunks to write one after the other (the arrays' own
 * memory, not copies). Their total length is `byteLength`.
 */
export function encodeBinary(value: unknown): { chunks: Uint8Array[]; byteLength: number } {
  const arrays: AnyTyped[] = [];
  let bodyBytes = 0;
  const header = asciiJson(
    JSON.stringify(value, (_key, v: unknown) => {
      const name = typedNameOf(v);
      if (name === null) return v;
      const array = v as AnyTyped;
      const ref: TypedRef = { $typed: name, offset: bodyBytes, length: array.length };
      arrays.push(array);
      bodyBytes = align8(bodyBytes + array.byteLength);
      return ref;
    }) ?? 'null',
  );
  const bodyStart = align8(PREFIX_BYTES + header.length);
  const head = new Uint8Array(bodyStart);
  head.set(MAGIC, 0);
  new DataView(head.buffer).setUint32(4, header.length, true);
  for (let i = 0; i < header.length; i++) head[PREFIX_BYTES + i] = header.charCodeAt(i);
  const chunks: Uint8Array[] = [head];
  for (const array of arrays) {
    chunks.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    const pad = align8(array.byteLength) - array.byteLength;
    if (pad > 0) chunks.push(new Uint8Array(pad));
  }
  return { chunks, byteLength: bodyStart + bodyBytes };
}

/** Thrown for a buffer that is not this format or points outside itself. */
export class BinaryFormatError extends Error {
  constructor(message: string) {
    super(`malformed binary reply: ${message}`);
    this.name = 'BinaryFormatError';
  }
}

function isTypedRef(v: unknown): v is TypedRef {
  return typeof v === 'object' && v !== null && '$typed' in v && 'offset' in v && 'length' in v;
}

/** Decodes what `encodeBinary` wrote; typed arrays come back as views on `buffer`. Checks every bound. */
export function decodeBinary(buffer: ArrayBuffer): unknown {
  if (buffer.byteLength < PREFIX_BYTES) throw new BinaryFormatError('shorter than its prefix');
  const bytes = new Uint8Array(buffer);
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw new BinaryFormatError('wrong magic number');
  const headerLength = new DataView(buffer).getUint32(4, true);
  if (PREFIX_BYTES + headerLength > buffer.byteLength) throw new BinaryFormatError('header runs past the end');
  let header = '';
  for (let i = 0; i < headerLength; i += 8192) header += String.fromCharCode(...bytes.subarray(PREFIX_BYTES + i, PREFIX_BYTES + Math.min(headerLength, i + 8192)));
  const bodyStart = align8(PREFIX_BYTES + headerLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(header, (_key, v: unknown) => {
      if (!isTypedRef(v)) return v;
      const ctor = Object.prototype.hasOwnProperty.call(typedArrays, v.$typed) ? typedArrays[v.$typed] : undefined;
      if (!ctor) throw new BinaryFormatError(`unknown array type ${String(v.$typed)}`);
      const { offset, length } = v;
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset % 8 !== 0) {
        throw new BinaryFormatError('array offset or length is not a non-negative integer on an 8-byte boundary');
      }
      if (bodyStart + offset + length * ctor.BYTES_PER_ELEMENT > buffer.byteLength) throw new BinaryFormatError('array runs past the end');
      return new ctor(buffer, bodyStart + offset, length);
    });
  } catch (err) {
    if (err instanceof BinaryFormatError) throw err;
    throw new BinaryFormatError('header is not JSON');
  }
  return parsed;
}

/**
 * For JSON clients (scripts, curl, the CLI's --json): a copy of `value` with
 * typed arrays as plain arrays (NaN becomes null in the JSON). Converted
 * before JSON.stringify, not in a replacer, which would be called once per number.
 */
export function withTypedArraysAsLists(value: unknown): unknown {
  if (typedNameOf(value) !== null) return Array.from(value as AnyTyped);
  if (Array.isArray(value)) return value.map(withTypedArraysAsLists);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTypedArraysAsLists(v)]));
}
