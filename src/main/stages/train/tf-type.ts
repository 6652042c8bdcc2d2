import type * as tfjs from '@tensorflow/tfjs';

/**
 * The TensorFlow.js namespace as the app uses it. Its own file so the wasm
 * kernels can name the type without importing the backend loader that
 * registers them (tf-backend.ts imports the kernels, not the other way round).
 */
export type Tf = typeof tfjs;
