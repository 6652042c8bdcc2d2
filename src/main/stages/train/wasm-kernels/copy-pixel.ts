/**
 * Pixels of at most this many channels are copied float by float: a subarray per pixel for `set` cost more;
 * from 32 channels `set` is faster (measured by `npm run bench -- train-profile`).
 */
const COPY_LOOP_MAX_CHANNELS = 16;

/** dst[d … d + channels) = src[s … s + channels): one pixel's channels, as the phase interleaves move them. */
export function copyPixel(src: Float32Array, s: number, dst: Float32Array, d: number, channels: number): void {
  if (channels > COPY_LOOP_MAX_CHANNELS) {
    dst.set(src.subarray(s, s + channels), d);
    return;
  }
  for (let c = 0; c < channels; c++) dst[d + c] = src[s + c]!;
}
