import zlib from 'node:zlib';

/**
 * A small DICOM Part 10 writer for tests: real files, written the way PS3.5
 * and PS3.10 lay them out, so the import reads what a modality would send.
 * Only what the tests need: little-endian explicit or implicit VR, deflate,
 * native or encapsulated pixel data.
 */

export const SYNTAX = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  bigEndian: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.70',
  jpegLs: '1.2.840.10008.1.2.4.80',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
} as const;

export interface DicomElement {
  tag: number; // 0xGGGGEEEE
  vr: string;
  value: string | number[] | Uint8Array;
}

export interface TestImage {
  rows: number;
  columns: number;
  frames?: number;
  samplesPerPixel?: 1 | 3;
  bitsAllocated: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  photometric?: string;
  planar?: 0 | 1;
  slope?: number;
  intercept?: number;
  windowCenter?: string;
  windowWidth?: string;
  patientName?: string;
  patientId?: string;
  birthDate?: string;
  studyUid?: string;
  seriesUid?: string;
  sopUid?: string;
  extra?: DicomElement[];
}

/** Pixel data: native bytes (all frames), or encapsulated fragments (one per frame). */
export type PixelPayload = { native: Uint8Array } | { fragments: Uint8Array[] } | null;

const el = (tag: number, vr: string, value: DicomElement['value']): DicomElement => ({ tag, vr, value });

export function imageElements(image: TestImage): DicomElement[] {
  const spp = image.samplesPerPixel ?? 1;
  const elements: DicomElement[] = [
    el(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    el(0x00080018, 'UI', image.sopUid ?? '1.2.826.0.1.3680043.8.498.3'),
    el(0x00080060, 'CS', 'OT'),
    el(0x00100010, 'PN', image.patientName ?? ''),
    el(0x00100020, 'LO', image.patientId ?? ''),
    el(0x00100030, 'DA', image.birthDate ?? ''),
    el(0x0020000d, 'UI', image.studyUid ?? '1.2.826.0.1.3680043.8.498.1'),
    el(0x0020000e, 'UI', image.seriesUid ?? '1.2.826.0.1.3680043.8.498.2'),
    el(0x00280002, 'US', [spp]),
    el(0x00280004, 'CS', image.photometric ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')),
  ];
  if (spp === 3) elements.push(el(0x00280006, 'US', [image.planar ?? 0]));
  if ((image.frames ?? 1) > 1) elements.push(el(0x00280008, 'IS', String(image.frames)));
  elements.push(
    el(0x00280010, 'US', [image.rows]),
    el(0x00280011, 'US', [image.columns]),
    el(0x00280100, 'US', [image.bitsAllocated]),
    el(0x00280101, 'US', [image.bitsStored ?? image.bitsAllocated]),
    el(0x00280102, 'US', [(image.bitsStored ?? image.bitsAllocated) - 1]),
    el(0x00280103, 'US', [image.signed ? 1 : 0]),
  );
  if (image.windowCenter !== undefined) elements.push(el(0x00281050, 'DS', image.windowCenter), el(0x00281051, 'DS', image.windowWidth ?? '1'));
  if (image.intercept !== undefined) elements.push(el(0x00281052, 'DS', String(image.intercept)));
  if (image.slope !== undefined) elements.push(el(0x00281053, 'DS', String(image.slope)));
  return [...elements, ...(image.extra ?? [])];
}

/** A whole file: preamble, DICM, file meta (always explicit VR LE), then the data set in `syntax`. */
export function writeDicom(syntax: string, image: TestImage, pixels: PixelPayload): Buffer {
  const explicit = syntax !== SYNTAX.implicit;
  const body: Buffer[] = imageElements(image)
    .sort((a, b) => a.tag - b.tag)
    .map((e) => encodeElement(e, explicit));
  if (pixels) body.push(encodePixelData(pixels, image, explicit));
  let dataSet = Buffer.concat(body);
  if (syntax === SYNTAX.deflated) dataSet = zlib.deflateRawSync(dataSet);

  const metaElements = [
    el(0x00020001, 'OB', new Uint8Array([0, 1])),
    el(0x00020002, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    el(0x00020003, 'UI', image.sopUid ?? '1.2.826.0.1.3680043.8.498.3'),
    el(0x00020010, 'UI', syntax),
    el(0x00020012, 'UI', '1.2.826.0.1.3680043.8.498.99'),
  ].map((e) => encodeElement(e, true));
  const metaBody = Buffer.concat(metaElements);
  const groupLength = encodeElement(el(0x00020000, 'UL', [metaBody.length]), true);
  const preamble = Buffer.alloc(132);
  preamble.write('DICM', 128, 'latin1');
  return Buffer.concat([preamble, groupLength, metaBody, dataSet]);
}

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function valueBytes(e: DicomElement): Buffer {
  if (e.value instanceof Uint8Array) return pad(Buffer.from(e.value), 0);
  if (Array.isArray(e.value)) {
    if (e.vr === 'US') {
      const b = Buffer.alloc(2 * e.value.length);
      e.value.forEach((v, i) => b.writeUInt16LE(v, 2 * i));
      return b;
    }
    const b = Buffer.alloc(4 * e.value.length);
    e.value.forEach((v, i) => b.writeUInt32LE(v, 4 * i));
    return b;
  }
  return pad(Buffer.from(e.value, 'latin1'), e.vr === 'UI' ? 0 : 0x20);
}

function pad(b: Buffer, fill: number): Buffer {
  return b.length % 2 === 0 ? b : Buffer.concat([b, Buffer.from([fill])]);
}

function tagBytes(tag: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(tag >>> 16, 0);
  b.writeUInt16LE(tag & 0xffff, 2);
  return b;
}

function header(tag: number, vr: string, length: number, explicit: boolean): Buffer {
  if (!explicit) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(length >>> 0, 0);
    return Buffer.concat([tagBytes(tag), b]);
  }
  if (LONG_VRS.has(vr)) {
    const b = Buffer.alloc(8);
    b.write(vr, 0, 'latin1');
    b.writeUInt32LE(length >>> 0, 4);
    return Buffer.concat([tagBytes(tag), b]);
  }
  const b = Buffer.alloc(4);
  b.write(vr, 0, 'latin1');
  b.writeUInt16LE(length, 2);
  return Buffer.concat([tagBytes(tag), b]);
}

function encodeElement(e: DicomElement, explicit: boolean): Buffer {
  const value = valueBytes(e);
  return Buffer.concat([header(e.tag, e.vr, value.length, explicit), value]);
}

function item(tag: number, content: Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(0xfffe, 0);
  h.writeUInt16LE(tag, 2);
  h.writeUInt32LE(content.length, 4);
  return Buffer.concat([h, Buffer.from(content)]);
}

function encodePixelData(pixels: Exclude<PixelPayload, null>, image: TestImage, explicit: boolean): Buffer {
  const vr = image.bitsAllocated === 16 ? 'OW' : 'OB';
  if ('native' in pixels) {
    const value = pad(Buffer.from(pixels.native), 0);
    return Buffer.concat([header(0x7fe00010, vr, value.length, explicit), value]);
  }
  const parts = [item(0xe000, new Uint8Array(0)), ...pixels.fragments.map((f) => item(0xe000, pad(Buffer.from(f), 0)))];
  const end = Buffer.alloc(8);
  end.writeUInt16LE(0xfffe, 0);
  end.writeUInt16LE(0xe0dd, 2);
  return Buffer.concat([header(0x7fe00010, 'OB', 0xffffffff, explicit), ...parts, end]);
}

/** Values as little-endian bytes, as native pixel data stores them. */
export function littleEndian(values: Uint16Array | Int16Array | Uint8Array): Uint8Array {
  if (values instanceof Uint8Array) return values;
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => (values instanceof Int16Array ? out.writeInt16LE(v, 2 * i) : out.writeUInt16LE(v, 2 * i)));
  return out;
}
