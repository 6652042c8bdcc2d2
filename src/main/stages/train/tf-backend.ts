import * as tfjs from '@tensorflow/tfjs';
import { FarpointError, messageOf } from '../../core/errors';
import type { Tf } from './tf-type';
import { registerWasmTrainingKernels } from './wasm-kernels/register';

/**
 * The single place TensorFlow.js is initialised. Every model in the app
 * (the autoencoder, the orientation regressor) gets its `tf` from here, so
 * they all run on the same, reported backend.
 *
 * Order: tfjs-node (native libtensorflow, optional dependency) when it
 * loads; else tfjs with the WebAssembly backend plus our training kernels;
 * else the pure-JS cpu backend, with a loud warning because it trains about
 * a hundred times slower. FARPOINT_TF_BACKEND=node|wasm|cpu forces one, and
 * a forced backend that cannot start is an error, never a silent fallback.
 */

export type { Tf };
export type BackendName = 'node' | 'wasm' | 'cpu';
export const backendNames: readonly BackendName[] = ['node', 'wasm', 'cpu'];

export interface TfRuntime {
  tf: Tf;
  backend: BackendName;
  /** Why this backend, in words a user can act on. */
  reason: string;
}

let loading: Promise<TfRuntime> | null = null;

/** Initialises TensorFlow.js once per process and returns it with the backend in use. */
export function loadTf(): Promise<TfRuntime> {
  loading ??= chooseBackend().catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

/** The backend forced by FARPOINT_TF_BACKEND, or null; a value that names no backend is an error. */
export function forcedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | null {
  const raw = env.FARPOINT_TF_BACKEND?.trim().toLowerCase();
  if (!raw) return null;
  if ((backendNames as readonly string[]).includes(raw)) return raw as BackendName;
  throw new FarpointError(`FARPOINT_TF_BACKEND must be one of ${backendNames.join(', ')}; got '${env.FARPOINT_TF_BACKEND}'`);
}

async function chooseBackend(): Promise<TfRuntime> {
  const forced = forcedBackend();
  if (forced) {
    const attempt = await tryBackend(forced);
    if (!attempt.ok) throw new FarpointError(`FARPOINT_TF_BACKEND=${forced} was requested but it cannot start: ${attempt.error}`, 503);
    return { ...attempt.runtime, reason: `forced by FARPOINT_TF_BACKEND=${forced}` };
  }
  const failures: string[] = [];
  for (const name of backendNames) {
    const attempt = await tryBackend(name);
    if (attempt.ok) {
      const reason = failures.length === 0 ? `${name} is the fastest backend available` : `${failures.join('; ')}; using ${name}`;
      if (name === 'cpu') warnCpu(reason);
      return { ...attempt.runtime, reason };
    }
    failures.push(`${name} unavailable (${attempt.error})`);
  }
  throw new FarpointError(`no TensorFlow.js backend could start: ${failures.join('; ')}`, 503);
}

type Attempt = { ok: true; runtime: Omit<TfRuntime, 'reason'> } | { ok: false; error: string };

async function tryBackend(name: BackendName): Promise<Attempt> {
  try {
    if (name === 'node') return { ok: true, runtime: { tf: await startNode(), backend: 'node' } };
    if (name === 'wasm') return { ok: true, runtime: { tf: await startWasm(), backend: 'wasm' } };
    await startPlain(tfjs, 'cpu');
    return { ok: true, runtime: { tf: tfjs, backend: 'cpu' } };
  } catch (err) {
    return { ok: false, error: messageOf(err).split('\n')[0]!.slice(0, 300) };
  }
}

async function startNode(): Promise<Tf> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const specifier = '@tensorflow/tfjs-node';
  const mod = (await import(specifier)) as { default?: Tf } & Tf;
  const tf = (mod.default ?? mod) as Tf;
  await startPlain(tf, 'tensorflow');
  return tf;
}

async function startWasm(): Promise<Tf> {
  await import('@tensorflow/tfjs-backend-wasm');
  await startPlain(tfjs, 'wasm');
  registerWasmTrainingKernels(tfjs);
  return tfjs;
}

async function startPlain(tf: Tf, backend: string): Promise<void> {
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`backend is ${tf.getBackend()} after selecting ${backend}`);
}

function warnCpu(reason: string): void {
  process.stderr.write(
    `\n*** WARNING: TensorFlow.js is running on the pure-JavaScript 'cpu' backend (${reason}).\n` +
      `*** Training will be about 100 times slower than on 'wasm' or 'node'. Reinstall Farpoint to restore them.\n\n`,
  );
}
