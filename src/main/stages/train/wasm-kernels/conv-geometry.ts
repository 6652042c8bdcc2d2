/**
 * Index arithmetic for convolution gradients expressed as forward
 * convolutions. Pure functions, no TensorFlow, so they are easy to test and
 * cache. One spatial dimension at a time; 2-D is the product of two.
 *
 * Forward (cross-correlation): y[o] = Σ_t x[o·s + t − p] · w[t], t ∈ [0, k).
 */

/** One output phase of a transposed (input-gradient) convolution along one axis. */
export interface Phase {
  /** Position of this phase's first tap inside the combined filter's window. */
  start: number;
  /** Row of the phase-stacked output that holds this phase's q = 0 (its value for q sits at q + shift). */
  shift: number;
  /** Filter index used by each tap, in window order (empty when the phase gets no contribution). */
  taps: number[];
}

/**
 * The input gradient dx[i] = Σ_{o,t: o·s+t−p=i} dy[o]·w[t], split by phase
 * a = i mod s. Writing i = s·q + a, each phase is a stride-1 correlation of dy
 * with a sub-filter of w taken every s-th tap, reversed. One convolution with
 * s² · C_in output channels computes every phase at once, and an interleave
 * (depth-to-space) puts them in place: no zero insertion, no wasted 3/4.
 *
 * Phases read dy at different offsets. Two ways to stack them, the cheaper
 * (window × output rows) is taken per axis:
 * - one window spanning every phase's taps, each phase at its own position in
 *   it (`start`), all phases on the same output rows (shift 0);
 * - a window only as long as the longest phase, every phase at its start, each
 *   phase read from its own output rows (`shift`). For a 4-tap stride-2
 *   transposed convolution this is a 2-tap window instead of a 3-tap one:
 *   4/9 of the multiply-adds for one extra output row.
 */
export interface InputGradAxis {
  stride: number;
  /** Rows of each phase: ceil(inSize / stride). */
  phaseRows: number;
  /** Rows the convolution produces: phaseRows + the largest shift. */
  outRows: number;
  /** Window length (the combined filter's size along this axis). */
  window: number;
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
  const base = Math.min(...used.map((p) => p.offset));
  const span = Math.max(...used.map((p) => p.offset + p.taps.length)) - base;
  const longest = Math.max(...used.map((p) => p.taps.length));
  const phaseRows = Math.ceil(inSize / stride);
  const maxShift = Math.max(...used.map((p) => p.offset - base));
  // Conv output row u, window tap j reads dy[u + base + j]; phase a needs shift_a + start_a = offset_a − base.
  const shifted = longest * (phaseRows + maxShift) < span * phaseRows;
  const window = shifted ? longest : span;
  const outRows = shifted ? phaseRows + maxShift : phaseRows;
  const phases = raw.map((p) => {
    if (p.taps.length === 0) return { start: 0, shift: 0, taps: p.taps };
    return shifted ? { start: 0, shift: p.offset - base, taps: p.taps } : { start: p.offset - base, shift: 0, taps: p.taps };
  });
  // dy rows the windows touch: [base, base + outRows − 1 + window).
  const first = base;
  const last = base + outRows - 1 + window; // exclusive
  return {
    stride,
    phaseRows,
    outRows,
    window,
    phases,
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
