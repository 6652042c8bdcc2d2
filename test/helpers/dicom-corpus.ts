import fs from 'node:fs';
import path from 'node:path';
import { encodeJpeg2000, encodeJpegBaseline, encodeJpegLossless, encodeJpegLs, encodeRle } from './dicom-encoders';
import { littleEndian, SYNTAX, writeDicom, type TestImage } from './dicom-writer';

export const PATIENT_NAME = 'DOE^JANE^QUINTESSA';
export const PATIENT_ID = 'PID-7741-XQ';

export const W = 48;
export const H = 40;

/** A 16-bit CT-like ramp: stored 0..4000, so with intercept -1024 the values run from -1024 to 2976 HU. */
export function ctValues(seed = 0): Uint16Array {
  return new Uint16Array(W * H).map((_, i) => ((i % W) * 61 + Math.floor(i / W) * 37 + seed * 101) % 4001);
}

export function uniform16(value: number): Uint16Array {
  return new Uint16Array(W * H).fill(value);
}

const base = (n: number): TestImage => ({
  rows: H,
  columns: W,
  bitsAllocated: 16,
  bitsStored: 12,
  patientName: PATIENT_NAME,
  patientId: PATIENT_ID,
  birthDate: '19610203',
  studyUid: '1.2.826.0.1.3680043.8.498.10',
  seriesUid: '1.2.826.0.1.3680043.8.498.11',
  sopUid: `1.2.826.0.1.3680043.8.498.12.${n}`,
});

export interface DicomCorpus {
  dir: string;
  /** Files that import, by role, and the number of samples (frames) each gives. */
  good: Record<string, { file: string; frames: number }>;
  bad: { file: string; reason: RegExp }[];
}

/** A folder of real DICOM files in every supported syntax and photometric interpretation, plus broken ones. */
export async function writeDicomCorpus(dir: string): Promise<DicomCorpus> {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const gray8 = new Uint8Array(W * H).map((_, i) => (i * 3) % 256);
  const rgb = new Uint8Array(W * H * 3).map((_, i) => (i % 3 === 0 ? 200 : i % 3 === 1 ? 60 : 20));
  const ct = ctValues();
  const good: DicomCorpus['good'] = {
    explicit: { file: write('ct-explicit.dcm', writeDicom(SYNTAX.explicit, { ...base(1), intercept: -1024, slope: 1, windowCenter: '40\\400', windowWidth: '400\\1800' }, { native: littleEndian(ct) })), frames: 1 },
    // No extension at all: recognised by the DICM magic.
    implicitNoExtension: { file: write('IM000001', writeDicom(SYNTAX.implicit, { ...base(2), bitsAllocated: 8, bitsStored: 8 }, { native: gray8 })), frames: 1 },
    deflated: { file: write('deflated.dcm', writeDicom(SYNTAX.deflated, base(3), { native: littleEndian(ctValues(1)) })), frames: 1 },
    monochrome1: { file: write('mono1.dcm', writeDicom(SYNTAX.explicit, { ...base(4), photometric: 'MONOCHROME1' }, { native: littleEndian(ctValues(2)) })), frames: 1 },
    rgb: { file: write('rgb.dcm', writeDicom(SYNTAX.explicit, { ...base(5), bitsAllocated: 8, bitsStored: 8, samplesPerPixel: 3 }, { native: rgb })), frames: 1 },
    multiFrameRle: {
      file: write('cine-rle.dcm', writeDicom(SYNTAX.rle, { ...base(6), frames: 3 }, { fragments: [0, 1, 2].map((s) => encodeRle(ctValues(s + 3), 1, 2)) })),
      frames: 3,
    },
    jpegLossless: { file: write('lossless.dcm', writeDicom(SYNTAX.jpegLossless, base(7), { fragments: [encodeJpegLossless(ctValues(4), W, H, 16)] })), frames: 1 },
    jpegLs: { file: write('jls.dcm', writeDicom(SYNTAX.jpegLs, base(8), { fragments: [await encodeJpegLs(ctValues(5), W, H, 16)] })), frames: 1 },
    jpeg2000: { file: write('j2k.dcm', writeDicom(SYNTAX.jpeg2000Lossless, base(9), { fragments: [await encodeJpeg2000(ctValues(6), W, H, 16)] })), frames: 1 },
    jpegBaseline: {
      file: write('baseline.dcm', writeDicom(SYNTAX.jpegBaseline, { ...base(10), bitsAllocated: 8, bitsStored: 8 }, { fragments: [await encodeJpegBaseline(gray8, W, H, 1)] })),
      frames: 1,
    },
  };
  const whole = writeDicom(SYNTAX.explicit, base(11), { native: littleEndian(ctValues(7)) });
  const bad: DicomCorpus['bad'] = [
    { file: write('truncated.dcm', whole.subarray(0, whole.length - 1500)), reason: /truncated DICOM file/ },
    { file: write('no-pixels.dcm', writeDicom(SYNTAX.explicit, base(12), null)), reason: /no pixel data/ },
    { file: write('big-endian.dcm', writeDicom(SYNTAX.bigEndian, base(13), { native: littleEndian(ctValues(8)) })), reason: /unsupported DICOM transfer syntax: Explicit VR Big Endian/ },
    { file: write('extended.dcm', writeDicom(SYNTAX.jpegExtended, base(14), { fragments: [new Uint8Array([0xff, 0xd8, 0xff, 0xd9])] })), reason: /unsupported DICOM transfer syntax: JPEG Extended/ },
    { file: write('garbage-after-magic', Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([1, 2, 3, 4, 5, 6, 7])])), reason: /DICOM/ },
    {
      file: write('corrupt-j2k.dcm', writeDicom(SYNTAX.jpeg2000Lossless, base(15), { fragments: [new Uint8Array(64).fill(7)] })),
      reason: /cannot decode JPEG 2000/,
    },
  ];
  return { dir, good, bad };
}
