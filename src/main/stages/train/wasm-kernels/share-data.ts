import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { shippedKernel } from './shipped-kernels';

/**
 * Identity, and Cast to the dtype a tensor already has, hand back the input's
 * data by reference (one more reference on it), as the cpu backend does: the
 * shipped wasm kernels copy it. Gradients pass through both many times per
 * training step (ReLU's gradient casts its input to float32, tf.clone and
 * the tape copy gradients); the copies were a visible share of a gradient
 * of the default autoencoder (`npm run bench -- train-profile`). Nothing writes a tensor's
 * data in place, so sharing is safe. Other casts and string tensors go to the
 * shipped kernels.
 */
function shared(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identityConfig(): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: BackendWasm }) =>
    args.inputs.x.dtype === 'string' ? shippedKernel('Identity')(args as never) : shared(args.backend, args.inputs.x);
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function castConfig(): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; attrs: NamedAttrMap; backend: BackendWasm }) => {
    const { x } = args.inputs;
    const { dtype } = args.attrs as { dtype: string };
    return dtype === x.dtype && dtype !== 'string' ? shared(args.backend, x) : shippedKernel('Cast')(args as never);
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
