// The package ships JavaScript without its declaration file; only the part Farpoint calls is declared.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes a JPEG Lossless (process 14) stream; numBytes is bytes per sample (1 or 2). */
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
