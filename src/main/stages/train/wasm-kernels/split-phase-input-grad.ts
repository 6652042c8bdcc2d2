import type { TensorInfo } from '@tensorflow/tfjs';
import type { InputGradAxis, Phase } from './conv-geometry';
import { copyPixel } from './copy-pixel';
import type { WasmOps } from './wasm-ops';

/**
 * The input gradient (a transposed convolution) as one XNNPACK convolution
 * per output phase: phase (a_h, a_w) of dx, dx[b, q_h·s_h + a_h, q_w·s_w + a_w, :],
 * is a stride-1 correlation of dy with the filter taps that land on that
 * phase (conv-geometry.ts), reversed. Each convolution is exact (no zero
 * taps, no extra rows), where stacking the phases into one convolution's
 * channels (conv2d-backprop-input.ts) pads the shorter phases' windows and
 * shifts the phases by a row (16/9 of the useful multiply-adds for a
 * stride-2 3×3 filter). The phases are then interleaved into dx. Four
 * smaller convolutions beat the stacked one from 16 channels on (see
 * conv2d-backprop-input.ts), and beat the product + scatter (dy · Wᵀ, then
 * summing its rows into dx in JavaScript) that this replaces (measured by
 * `npm run bench -- train-profile`).
 */
export function splitPhaseInputGrad(ops: WasmOps, dy: TensorInfo, filter: TensorInfo, inputShape: [number, number, number, number], h: InputGradAxis, w: InputGradAxis): TensorInfo {
  const [batch, inH, inW, cin] = inputShape;
  const [, kw, , cout] = filter.shape as [number, number, number, number];
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const phases: (TensorInfo | null)[] = [];
  for (const ph of h.phases) {
    for (const pw of w.phases) {
      phases.push(ph.taps.length === 0 || pw.taps.length === 0 ? null : phaseConv(ops, dy, filter, kw, cin, cout, [ph, pw], [h, w], [outH, outW], batch));
    }
  }
  const out = ops.allocate(inputShape);
  const dst = ops.view(out);
  for (let ah = 0; ah < h.stride; ah++) {
    for (let aw = 0; aw < w.stride; aw++) {
      const phase = phases[ah * w.stride + aw]!;
      const src = phase ? ops.view(phase) : null;
      for (let b = 0; b < batch; b++) {
        for (let qh = 0, y = ah; y < inH; qh++, y += h.stride) {
          let s = ((b * h.phaseRows + qh) * w.phaseRows) * cin;
          for (let x = aw; x < inW; x += w.stride, s += cin) {
            const d = ((b * inH + y) * inW + x) * cin;
            if (src) copyPixel(src, s, dst, d, cin);
            else dst.fill(0, d, d + cin);
          }
        }
      }
    }
  }
  for (const phase of phases) if (phase) ops.release(phase);
  return out;
}

/** One phase: dy (sliced and padded to the rows this phase reads) correlated with the phase's taps, reversed. */
function phaseConv(
  ops: WasmOps,
  dy: TensorInfo,
  filter: TensorInfo,
  kw: number,
  cin: number,
  cout: number,
  [ph, pw]: [Phase, Phase],
  [h, w]: [InputGradAxis, InputGradAxis],
  [outH, outW]: [number, number],
  batch: number,
): TensorInfo {
  // The phase's filter [taps_h, taps_w, C_out, C_in] from the forward filter [k_h, k_w, C_in, C_out].
  const phaseFilter = ops.allocate([ph.taps.length, pw.taps.length, cout, cin]);
  const src = ops.view(filter);
  const dst = ops.view(phaseFilter);
  let d = 0;
  for (const th of ph.taps) {
    for (const tw of pw.taps) {
      const base = (th * kw + tw) * cin * cout;
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) dst[d++] = src[base + ci * cout + co]!;
      }
    }
  }
  const rowsH = readRows(h, ph, outH);
  const rowsW = readRows(w, pw, outW);
  const sliced = rowsH.first > 0 || rowsW.first > 0 || rowsH.count < outH || rowsW.count < outW;
  const source = sliced ? ops.slice(dy, [0, rowsH.first, rowsW.first, 0], [batch, rowsH.count, rowsW.count, cout]) : dy;
  const out = ops.conv2d(source, phaseFilter, [rowsH.padBefore, rowsH.padAfter, rowsW.padBefore, rowsW.padAfter]);
  ops.release(phaseFilter);
  if (sliced) ops.release(source);
  return out;
}

/**
 * Along one axis, the rows of dy a phase reads: its q-th output reads dy[q + offset + j] for its taps j, where
 * offset = shift + start + (the stacked window's first dy row); rows outside dy are zero padding.
 */
function readRows(axis: InputGradAxis, phase: Phase, outSize: number): { first: number; count: number; padBefore: number; padAfter: number } {
  const offset = phase.shift + phase.start + axis.trimBefore - axis.padBefore;
  const last = offset + axis.phaseRows - 1 + phase.taps.length; // exclusive
  const first = Math.max(0, offset);
  const end = Math.min(outSize, last);
  return { first, count: end - first, padBefore: Math.max(0, -offset), padAfter: Math.max(0, last - outSize) };
}
