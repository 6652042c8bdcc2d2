import type { KernelConfig, NamedAttrMap, Scalar, TensorInfo, Variable } from '@tensorflow/tfjs';
import { buildAutoencoder } from '../src/main/stages/train/autoencoder';
import { batchTensor } from '../src/main/stages/train/batches';
import { loadPixels } from '../src/main/stages/train/pixels';
import { loadTf, type Tf } from '../src/main/stages/train/tf-backend';
import { resolveTrainSettings } from '../src/main/stages/train/train';
import { Project } from '../src/main/store/project';
import { demoProject } from './train-bench';

/**
 * `npm run bench -- train-profile [rows] [steps]`: CPU time per kernel of one
 * gradient of the default autoencoder on wasm (rows 16: one thread's half of
 * a batch of 32), from process CPU time around every kernel call, the
 * composite kernels' inner calls listed apart (indented, not added to the
 * total). What the total leaves over is the engine, the tape and the model's
 * own JavaScript. Tells which kernel to work on next.
 */
export async function run(args: string[]): Promise<void> {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  const rows = Number(args[0] ?? 16);
  const steps = Number(args[1] ?? 40);
  const { tf } = await loadTf();
  const project = Project.open(await demoProject());
  const settings = resolveTrainSettings(project.db, {});
  const { set } = await loadPixels(project.db, { size: settings.inputSize, channels: settings.channels });
  project.close();
  const ae = buildAutoencoder(tf, settings, settings.seed);
  const variables = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as Variable);
  const order = Int32Array.from({ length: set.ids.length }, (_, i) => i);
  const timer = timeKernels(tf);
  const step = () => {
    const x = batchTensor(tf, set, settings, order, 0, rows);
    const g = tf.variableGrads(() => tf.losses.meanSquaredError(x, ae.reconstruct(x)) as Scalar, variables);
    g.value.dataSync();
    tf.dispose([x, g.value, ...Object.values(g.grads)]);
  };
  for (let i = 0; i < 5; i++) step();
  timer.on = true;
  const t0 = cpuMs();
  for (let i = 0; i < steps; i++) step();
  const total = (cpuMs() - t0) / steps;
  timer.on = false;
  const list = [...timer.byCall.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const kernels = list.filter(([, s]) => !s.inner).reduce((sum, [, s]) => sum + s.ms, 0) / steps;
  console.log(`gradient of ${rows} rows on wasm: ${total.toFixed(1)} ms CPU, ${kernels.toFixed(1)} ms of it in kernels (mean of ${steps})`);
  for (const [key, s] of list) {
    console.log(`${(s.ms / steps).toFixed(2).padStart(7)} ms ${String(s.calls / steps).padStart(4)}×  ${s.inner ? '    inner ' : ''}${key}`);
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wraps every wasm kernel: CPU ms and calls per kernel name and input shapes while `on`. */
function timeKernels(tf: Tf): { on: boolean; byCall: Map<string, { ms: number; calls: number; inner: boolean }> } {
  const timer = { on: false, byCall: new Map<string, { ms: number; calls: number; inner: boolean }>() };
  let depth = 0;
  for (const config of tf.getKernelsForBackend('wasm') as KernelConfig[]) {
    const inner = config.kernelFunc;
    (config as { kernelFunc: typeof inner }).kernelFunc = (args: { inputs: Record<string, TensorInfo | undefined>; attrs?: NamedAttrMap; backend: unknown }) => {
      if (!timer.on) return inner(args as never);
      const t0 = cpuMs();
      depth++;
      try {
        return inner(args as never);
      } finally {
        depth--;
        const shapes = Object.values(args.inputs).filter((t) => t !== undefined).map((t) => t.shape.join('x')).join(',');
        const key = `${config.kernelName}(${shapes})`;
        const s = timer.byCall.get(key) ?? { ms: 0, calls: 0, inner: depth > 0 };
        s.ms += cpuMs() - t0;
        s.calls++;
        timer.byCall.set(key, s);
      }
    };
  }
  return timer;
}
