/**
 * Index arithmetic for convolution gradients expressed as forward
 * convolutions. Pure functions, no TensorFlow, so they are easy to test and
 * cache. One spatial dimension at a time; 2-D is the product of two.
 *
 * Forward (cross-correlation): y[o] = Σ_t x[o·s + t − p] · w[t], t ∈ [0, k).
 */

/** One output phase of a transposed (input-gradient) convolution along one axis. */
export interface Phase {
  /** Offset of this phase's first tap relative to the common window start. */
  start: number;
  /** Filter index used by each tap, in window order (empty when the phase gets no contribution). */
  taps: number[];
}

/**
 * The input gradient dx[i] = Σ_{o,t: o·s+t−p=i} dy[o]·w[t], split by phase
 * a = i mod s. Writing i = s·q + a, each phase is a stride-1 correlation of dy
 * with a sub-filter of w taken every s-th tap, reversed. All phases share one
 * window of `window` taps starting at dy index q + `offset`, so one
 * convolution with s² · C_in output channels computes every phase at once and
 * a depth-to-space puts them in place: no zero insertion, no wasted 3/4.
 */
export interface InputGradAxis {
  stride: number;
  /** Rows of the phase-stacked output: ceil(inSize / stride). */
  phaseRows: number;
  /** Common window length (the combined filter's size along this axis). */
  window: number;
  /** dy index of the window start for q = 0 (negative means zero padding before dy). */
  offset: number;
  phases: Phase[];
  /** Zero padding before/after dy (after trimming); `trimBefore`/`trimAfter` rows of dy are never read. */
  padBefore: number;
  padAfter: number;
  trimBefore: number;
  trimAfter: number;
}

export function inputGradAxis(inSize: number, outSize: number, kernel: number, stride: number, padBefore: number): InputGradAxis {
  const raw: { offset: number; taps: number[] }[] = [];
  for (let a = 0; a < stride; a++) {
    const c = a + padBefore;
    const r = ((c % stride) + stride) % stride;
    const d = Math.floor(c / stride);
    const m = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
    // Tap j (window order) reads dy[q + d − m + 1 + j] with weight w[r + s·(m − 1 − j)].
    const taps = Array.from({ length: m }, (_, j) => r + stride * (m - 1 - j));
    raw.push({ offset: d - m + 1, taps });
  }
  const used = raw.filter((p) => p.taps.length > 0);
  const offset = Math.min(...used.map((p) => p.offset));
  const end = Math.max(...used.map((p) => p.offset + p.taps.length));
  const window = end - offset;
  const phaseRows = Math.ceil(inSize / stride);
  // dy rows the windows touch: [offset, phaseRows − 1 + end).
  const first = offset;
  const last = phaseRows - 1 + end; // exclusive
  return {
    stride,
    phaseRows,
    window,
    offset,
    phases: raw.map((p) => ({ start: p.taps.length > 0 ? p.offset - offset : 0, taps: p.taps })),
    padBefore: Math.max(0, -first),
    padAfter: Math.max(0, last - outSize),
    trimBefore: Math.max(0, first),
    trimAfter: Math.max(0, outSize - last),
  };
}

/**
 * For every element of the combined filter [window_h, window_w, C_out, s_h·s_w·C_in]
 * the index of the forward filter [k_h, k_w, C_in, C_out] element it copies, or −1 for a zero.
 * Channel order matches depth-to-space: ((phase_h · s_w) + phase_w) · C_in + c_in.
 */
export function combinedFilterIndex(h: InputGradAxis, w: InputGradAxis, kw: number, cin: number, cout: number): Int32Array {
  const phasesOut = h.stride * w.stride * cin;
  const index = new Int32Array(h.window * w.window * cout * phasesOut).fill(-1);
  for (let ah = 0; ah < h.stride; ah++) {
    const ph = h.phases[ah]!;
    for (let aw = 0; aw < w.stride; aw++) {
      const pw = w.phases[aw]!;
      for (let jh = 0; jh < ph.taps.length; jh++) {
        for (let jw = 0; jw < pw.taps.length; jw++) {
          const th = ph.taps[jh]!;
          const tw = pw.taps[jw]!;
          const uh = ph.start + jh;
          const uw = pw.start + jw;
          for (let ci = 0; ci < cin; ci++) {
            for (let co = 0; co < cout; co++) {
              const dst = ((uh * w.window + uw) * cout + co) * phasesOut + (ah * w.stride + aw) * cin + ci;
              index[dst] = ((th * kw + tw) * cin + ci) * cout + co;
            }
          }
        }
      }
    }
  }
  return index;
}
