import type { EncoderKind } from '../../../shared/domain';
import type { AutoencoderShape } from '../../store/model-store';
import type { AdamMemory } from './flat-adam';

/**
 * The shared memory two training threads meet in. The weights and the Adam
 * moments live here, as flat vectors (flat-adam.ts). Per step the
 * coordinator (the thread that owns the model and the project file) hands
 * the helper thread which rows of the batch are its half; each thread puts
 * the gradient of its half's mean loss here, then each steps Adam on its own
 * half of the weights (the coordinator the first, the helper the rest), and
 * both load the new weights into their models. One SharedArrayBuffer,
 * synchronised with Atomics: no messages, and neither thread waits while
 * the other alone finishes the step.
 */

/** Int32 slots of the control block. */
export const SEQ = 0; // bumped by the coordinator to hand out a command
export const COMMAND = 1;
export const COUNT = 2; // rows in the helper's half
export const DONE = 3; // the helper stores SEQ's value here when its gradient is in place, FAILED if it broke
export const ROWS = 4; // rows in the whole batch
export const ADAM_STEP = 5; // the optimizer's step number (1 for the first)
export const OWN_READY = 6; // the coordinator stores SEQ's value here when its own gradient is in place
export const ADAM_DONE = 7; // the helper stores SEQ's value here when it has stepped its half of the weights
export const FAILED = -1;
export const STEP = 1;
export const STOP = 2;

/** Float64 slots of the statistics block. */
export const LOSS = 0; // the helper's half-batch mean loss, in float64 so it arrives exactly as computed
export const HELPER_WAIT_SECONDS = 1; // cumulative seconds the helper waited: for the coordinator's gradient, and for its next command
export const HELPER_STEP_SECONDS = 2; // cumulative seconds the helper computed
export const HELPER_CPU_SECONDS = 3; // the helper thread's own CPU seconds so far (NaN where the OS does not say)

const CONTROL_BYTES = 64;
const STATS_BYTES = 64;

export interface ExchangeViews {
  buffer: SharedArrayBuffer;
  control: Int32Array;
  stats: Float64Array;
  rows: Int32Array;
  /** The weights and both Adam moments (flat-adam.ts). */
  adam: AdamMemory;
  /** Gradient of the coordinator's half of the batch (its mean loss). */
  ownGrads: Float32Array;
  /** Gradient of the helper's half. */
  helperGrads: Float32Array;
}

/** Flat vectors of `parameters` floats: weights, two moments, two gradients. */
const VECTORS = 5;

/** Memory for `parameters` float32 weights (and their moments and two gradients) and up to `maxRows` row indices. */
export function createExchange(parameters: number, maxRows: number): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + STATS_BYTES + 4 * maxRows + 4 * VECTORS * parameters);
}

/** The first weight the helper steps with Adam; the coordinator steps those before it. */
export function helperShareStart(parameters: number): number {
  return Math.floor(parameters / 2);
}

/** The typed views both threads use over one exchange buffer. */
export function exchangeViews(buffer: SharedArrayBuffer, parameters: number, maxRows: number): ExchangeViews {
  const rowsAt = CONTROL_BYTES + STATS_BYTES;
  const vector = (k: number) => new Float32Array(buffer, rowsAt + 4 * maxRows + 4 * k * parameters, parameters);
  return {
    buffer,
    control: new Int32Array(buffer, 0, CONTROL_BYTES / 4),
    stats: new Float64Array(buffer, CONTROL_BYTES, STATS_BYTES / 8),
    rows: new Int32Array(buffer, rowsAt, maxRows),
    adam: { weights: vector(0), firstMoment: vector(1), secondMoment: vector(2) },
    ownGrads: vector(3),
    helperGrads: vector(4),
  };
}

/** What the coordinator sends the helper once, before the first step. */
export interface HelperInit {
  exchange: SharedArrayBuffer;
  parameters: number;
  maxRows: number;
  /**
   * The model's shape, seed and encoder (default the autoencoder): the helper builds the same model from them.
   * `pixels` are the coordinator's training sample, already tone-stretched when `normaliseTone` is on; the flag
   * itself makes the contrastive views stretched after augmentation on both threads alike.
   */
  settings: AutoencoderShape & { seed: number; learningRate: number; encoder?: EncoderKind; normaliseTone?: boolean };
  pixels: Uint8Array;
  bytesPerImage: number;
}

export type FromHelper = { type: 'ready'; backend: string } | { type: 'error'; message: string };
