/**
 * The shared memory two training threads meet in: the coordinator (the
 * thread that owns the model, the optimizer and the project file) hands the
 * helper thread the current weights and which rows of the batch are its
 * half; the helper answers with the gradient of its half's mean loss. One
 * SharedArrayBuffer, synchronised with Atomics: no messages, no copies
 * beyond one memcpy of the weights and one of the gradient per step.
 */

/** Int32 slots of the control block. */
export const SEQ = 0; // bumped by the coordinator to hand out a command
export const COMMAND = 1;
export const COUNT = 2; // rows in the helper's half
export const DONE = 3; // the helper stores SEQ's value here when its answer is in place, FAILED if it broke
export const FAILED = -1;
export const STEP = 1;
export const STOP = 2;

/** Float64 slots of the statistics block. */
export const LOSS = 0; // the helper's half-batch mean loss, in float64 so it arrives exactly as computed
export const HELPER_WAIT_SECONDS = 1; // cumulative seconds the helper waited between answering and its next command
export const HELPER_STEP_SECONDS = 2; // cumulative seconds the helper computed
export const HELPER_CPU_SECONDS = 3; // the helper thread's own CPU seconds so far (NaN where the OS does not say)

const CONTROL_BYTES = 64;
const STATS_BYTES = 64;

export interface ExchangeViews {
  buffer: SharedArrayBuffer;
  control: Int32Array;
  stats: Float64Array;
  rows: Int32Array;
  weights: Float32Array;
  grads: Float32Array;
}

/** Memory for `parameters` float32 weights (and as many gradients) and up to `maxRows` row indices. */
export function createExchange(parameters: number, maxRows: number): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + STATS_BYTES + 4 * maxRows + 8 * parameters);
}

/** The typed views both threads use over one exchange buffer. */
export function exchangeViews(buffer: SharedArrayBuffer, parameters: number, maxRows: number): ExchangeViews {
  const rowsAt = CONTROL_BYTES + STATS_BYTES;
  const weightsAt = rowsAt + 4 * maxRows;
  return {
    buffer,
    control: new Int32Array(buffer, 0, CONTROL_BYTES / 4),
    stats: new Float64Array(buffer, CONTROL_BYTES, STATS_BYTES / 8),
    rows: new Int32Array(buffer, rowsAt, maxRows),
    weights: new Float32Array(buffer, weightsAt, parameters),
    grads: new Float32Array(buffer, weightsAt + 4 * parameters, parameters),
  };
}

/** What the coordinator sends the helper once, before the first step. */
export interface HelperInit {
  exchange: SharedArrayBuffer;
  parameters: number;
  maxRows: number;
  settings: { inputSize: number; channels: 1 | 3; latentDim: number; seed: number };
  pixels: Uint8Array;
  bytesPerImage: number;
}

export type FromHelper = { type: 'ready'; backend: string } | { type: 'error'; message: string };
