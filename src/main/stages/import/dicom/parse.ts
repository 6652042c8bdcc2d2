import zlib from 'node:zlib';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { ImageRejected } from '../image-rejected';
import { describeTransferSyntax, transferSyntaxOf, type TransferSyntax } from './transfer-syntax';
import { readIdentifyingAttributes, type IdentifyingAttributes } from './identifying-attributes';

/** A window from the file (Window Center/Width, PS3.3 C.11.2), in modality units (after rescale). */
export interface DicomWindow {
  center: number;
  width: number;
  explanation?: string;
}

/** What decoding and display need from a DICOM image, and the UIDs that trace a sample back. Nothing that identifies a patient. */
export interface DicomImage {
  transferSyntaxUid: string;
  syntax: TransferSyntax;
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  signed: boolean;
  photometric: string;
  /** 0: RGBRGB…; 1: RRR…GGG…BBB… (native RGB only). */
  planarConfiguration: 0 | 1;
  slope: number;
  intercept: number;
  windows: DicomWindow[];
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  modality: string;
  dataSet: DataSet;
  pixelData: Element;
}

const SUPPORTED_PHOTOMETRIC = new Set(['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422']);

/** Parses a DICOM file's header and locates its pixel data. Throws ImageRejected with the reason a file cannot be imported. */
export function parseDicom(bytes: Uint8Array): DicomImage {
  // The file meta header first: an unsupported syntax is named as such, not as whatever its data set does to the parser.
  const uid = readTransferSyntaxUid(bytes);
  const syntax = transferSyntaxOf(uid);
  if (!syntax) throw new ImageRejected(`unsupported DICOM transfer syntax: ${describeTransferSyntax(uid || '(none)')}`);
  let dataSet: DataSet;
  try {
    // dicom-parser's own inflater reaches for a bundled `require('zlib')`; node's zlib is passed in instead.
    dataSet = dicomParser.parseDicom(bytes, { inflater: inflateDeflated });
  } catch (err) {
    throw rejection(err);
  }
  const pixelData = dataSet.elements.x7fe00010;
  if (!pixelData) throw new ImageRejected('DICOM file has no pixel data (7FE0,0010): not an image (a report, structured document or presentation state?)');

  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  if (rows === 0 || columns === 0) throw new ImageRejected(`DICOM image has no size: Rows ${rows}, Columns ${columns}`);
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) throw new ImageRejected(`unsupported DICOM Samples per Pixel: ${samplesPerPixel}`);
  const bitsAllocated = dataSet.uint16('x00280100') ?? 0;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new ImageRejected(`unsupported DICOM Bits Allocated: ${bitsAllocated} (8 and 16 are supported)`);
  const photometric = (dataSet.string('x00280004') ?? (samplesPerPixel === 1 ? 'MONOCHROME2' : 'RGB')).trim().toUpperCase();
  if (!SUPPORTED_PHOTOMETRIC.has(photometric)) throw new ImageRejected(`unsupported DICOM Photometric Interpretation: ${photometric}`);
  const frames = Math.max(1, dataSet.intString('x00280008') ?? 1);
  const image: DicomImage = {
    transferSyntaxUid: uid,
    syntax,
    rows,
    columns,
    frames,
    samplesPerPixel,
    bitsAllocated,
    bitsStored: dataSet.uint16('x00280101') ?? bitsAllocated,
    signed: (dataSet.uint16('x00280103') ?? 0) === 1,
    photometric,
    planarConfiguration: dataSet.uint16('x00280006') === 1 ? 1 : 0,
    slope: finiteOr(dataSet.floatString('x00281053'), 1) || 1,
    intercept: finiteOr(dataSet.floatString('x00281052'), 0),
    windows: readWindows(dataSet),
    studyUid: text(dataSet, 'x0020000d'),
    seriesUid: text(dataSet, 'x0020000e'),
    sopUid: text(dataSet, 'x00080018'),
    modality: text(dataSet, 'x00080060'),
    dataSet,
    pixelData,
  };
  if (syntax.encoding === 'native') {
    const needed = rows * columns * samplesPerPixel * (bitsAllocated / 8) * frames;
    // The data set's bytes, not the file's: a deflated file's pixel data lies in the inflated copy.
    const available = Math.min(pixelData.length, dataSet.byteArray.length - pixelData.dataOffset);
    if (available < needed) {
      throw new ImageRejected(`truncated DICOM file: pixel data holds ${Math.max(0, available)} bytes, ${frames} frame(s) of ${columns}×${rows} need ${needed}`);
    }
  } else if (!pixelData.encapsulatedPixelData || !pixelData.fragments?.length) {
    throw new ImageRejected(`truncated DICOM file: no compressed frames in the pixel data (${syntax.name})`);
  }
  return image;
}

/** The patient-identifying attributes, read only when a project has asked to keep them. */
export function identifyingAttributesOf(image: DicomImage): IdentifyingAttributes {
  return readIdentifyingAttributes(image.dataSet);
}

function readTransferSyntaxUid(bytes: Uint8Array): string {
  try {
    return (dicomParser.readPart10Header(bytes).string('x00020010') ?? '').trim();
  } catch (err) {
    throw rejection(err);
  }
}

function rejection(err: unknown): ImageRejected {
  const message = parserMessage(err);
  // The parser ran off the end of the bytes: the file was cut short (an interrupted copy or transfer).
  if (/overrun|beyond the end|end of buffer/i.test(message)) return new ImageRejected(`truncated DICOM file: ${message}`);
  return new ImageRejected(`not a readable DICOM file: ${message}`);
}

function inflateDeflated(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = zlib.inflateRawSync(bytes.subarray(position));
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

function readWindows(dataSet: DataSet): DicomWindow[] {
  const centers = numbers(dataSet.string('x00281050'));
  const widths = numbers(dataSet.string('x00281051'));
  const explanations = (dataSet.string('x00281055') ?? '').split('\\');
  const windows: DicomWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    const width = widths[i]!;
    if (!(width >= 1)) continue;
    const explanation = explanations[i]?.trim();
    windows.push({ center: centers[i]!, width, ...(explanation ? { explanation } : {}) });
  }
  return windows;
}

function numbers(raw: string | undefined): number[] {
  if (!raw) return [];
  return raw.split('\\').map((s) => Number(s.trim())).filter((n) => Number.isFinite(n));
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

function text(dataSet: DataSet, tag: string): string {
  return (dataSet.string(tag) ?? '').trim();
}

/** dicom-parser throws strings, or objects carrying an exception string and the partial data set. */
function parserMessage(err: unknown): string {
  if (typeof err === 'string') return shorten(err);
  if (err instanceof Error) return shorten(err.message);
  if (err && typeof err === 'object' && 'exception' in err) return shorten(String((err as { exception: unknown }).exception));
  return 'unknown error';
}

function shorten(message: string): string {
  return message.replace(/^dicomParser\.\w+: ?/, '').slice(0, 200);
}
