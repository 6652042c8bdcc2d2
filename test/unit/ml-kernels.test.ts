import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { loadTf, type Tf } from '../../src/main/stages/train/tf-backend';
import { filterGradOptions } from '../../src/main/stages/train/wasm-kernels/conv2d-backprop-filter';
import { inputGradOptions } from '../../src/main/stages/train/wasm-kernels/conv2d-backprop-input';
import { wasmTrainingKernels } from '../../src/main/stages/train/wasm-kernels/register';
import { maxDifference } from '../helpers/float-difference';

/**
 * Every kernel we register for wasm must agree with TensorFlow.js's reference
 * `cpu` kernels within 1e-4 relative error (max |difference| / max |reference|)
 * over shapes that exercise every branch of the index arithmetic.
 */

let tf: Tf;
before(async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  ({ tf } = await loadTf());
});

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const cases: Case[] = [];
for (const stride of [1, 2] as const) {
  for (const pad of ['same', 'valid'] as const) {
    cases.push(
      { x: [2, 9, 9, 3], k: [3, 3], cout: 4, stride, pad },
      { x: [3, 8, 8, 1], k: [3, 3], cout: 8, stride, pad },
      { x: [2, 7, 11, 2], k: [5, 5], cout: 3, stride, pad },
      { x: [2, 10, 10, 5], k: [1, 1], cout: 6, stride, pad },
      { x: [4, 13, 6, 4], k: [5, 3], cout: 5, stride, pad },
      { x: [2, 8, 8, 3], k: [4, 4], cout: 2, stride, pad },
      { x: [3, 12, 12, 1], k: [4, 4], cout: 16, stride, pad },
      { x: [2, 7, 9, 1], k: [1, 1], cout: 3, stride, pad },
    );
  }
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  const { worst, scale } = maxDifference(actual, expected);
  assert.ok(scale > 0, 'reference is all zeros: the case tests nothing');
  return worst / scale;
}

async function onBackend(name: 'wasm' | 'cpu', fn: () => Tensor): Promise<Float32Array> {
  await tf.setBackend(name);
  const t = fn();
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return data;
}

test('the wasm backend gets exactly the kernels we register', () => {
  const names = wasmTrainingKernels(tf).map((k) => k.kernelName).sort();
  assert.deepEqual(names, ['BatchMatMul', 'Cast', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Identity', 'Sum']);
  for (const name of names) assert.ok(tf.getKernel(name, 'wasm'), `${name} is registered on wasm`);
});

for (const c of cases) {
  const label = `x ${c.x.join('×')}, filter ${c.k.join('×')}×${c.x[3]}→${c.cout}, stride ${c.stride}, ${c.pad}`;
  test(`Conv2DBackpropFilter and Conv2DBackpropInput match cpu: ${label}`, async () => {
    await tf.setBackend('cpu');
    const x = tf.randomUniform(c.x, -1, 1, 'float32', 11) as Tensor4D;
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.cout];
    const w = tf.randomUniform(filterShape, -1, 1, 'float32', 12) as Tensor4D;
    const yShape = tf.conv2d(x, w, c.stride, c.pad).shape;
    const dy = tf.randomUniform(yShape, -1, 1, 'float32', 13) as Tensor4D;

    const filterGrad = () => tf.grad((ww: Tensor) => tf.conv2d(x, ww as Tensor4D, c.stride, c.pad).mul(dy).sum())(w);
    const inputGrad = () => tf.conv2dTranspose(dy, w, c.x, c.stride, c.pad);

    const dwWasm = await onBackend('wasm', filterGrad);
    const dwCpu = await onBackend('cpu', filterGrad);
    const dxWasm = await onBackend('wasm', inputGrad);
    const dxCpu = await onBackend('cpu', inputGrad);
    tf.dispose([x, w, dy]);
    assert.ok(relativeError(dwWasm, dwCpu) < 1e-4, `filter gradient: relative error ${relativeError(dwWasm, dwCpu)}`);
    assert.ok(relativeError(dxWasm, dxCpu) < 1e-4, `input gradient: relative error ${relativeError(dxWasm, dxCpu)}`);
  });
}

/** Every filter-gradient path (im2col + GEMM in both gather orders, and the swapped-axes convolution) on every case, whichever the default picks. */
const paths = {
  im2col: { maxIm2colChannels: Infinity, maxIm2colFloats: Infinity, patchRows: false },
  'patch rows': { maxIm2colChannels: 0, maxIm2colFloats: Infinity, patchRows: true, maxPatchRowsTaps: Infinity },
  convolution: { maxIm2colChannels: 0, maxIm2colFloats: 0, patchRows: false },
};
for (const [pathName, forced] of Object.entries(paths)) {
  test(`Conv2DBackpropFilter matches cpu on the ${pathName} path over every case`, async () => {
    const saved = { ...filterGradOptions };
    Object.assign(filterGradOptions, forced);
    try {
      for (const c of cases) {
        await tf.setBackend('cpu');
        const x = tf.randomUniform(c.x, -1, 1, 'float32', 21) as Tensor4D;
        const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.cout];
        const w = tf.randomUniform(filterShape, -1, 1, 'float32', 22) as Tensor4D;
        const dy = tf.randomUniform(tf.conv2d(x, w, c.stride, c.pad).shape, -1, 1, 'float32', 23) as Tensor4D;
        const filterGrad = () => tf.grad((ww: Tensor) => tf.conv2d(x, ww as Tensor4D, c.stride, c.pad).mul(dy).sum())(w);
        const dwWasm = await onBackend('wasm', filterGrad);
        const dwCpu = await onBackend('cpu', filterGrad);
        tf.dispose([x, w, dy]);
        const err = relativeError(dwWasm, dwCpu);
        assert.ok(err < 1e-4, `${pathName}, x ${c.x.join('×')}, filter ${c.k.join('×')}→${c.cout}, stride ${c.stride}, ${c.pad}: relative error ${err}`);
      }
    } finally {
      Object.assign(filterGradOptions, saved);
    }
  });
}

/** Every input-gradient path (one phase-stacked convolution, one convolution per phase) on every case, whichever the default picks. */
const inputPaths = { 'stacked phases': 'stacked', 'split phases': 'split' } as const;
for (const [pathName, path] of Object.entries(inputPaths)) {
  test(`Conv2DBackpropInput matches cpu on the ${pathName} path over every case`, async () => {
    const saved = inputGradOptions.path;
    inputGradOptions.path = path;
    try {
      for (const c of cases) {
        await tf.setBackend('cpu');
        const w = tf.randomUniform([c.k[0], c.k[1], c.x[3], c.cout], -1, 1, 'float32', 24) as Tensor4D;
        const yShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as Tensor4D, w, c.stride, c.pad).shape);
        const dy = tf.randomUniform(yShape, -1, 1, 'float32', 25) as Tensor4D;
        const inputGrad = () => tf.conv2dTranspose(dy, w, c.x, c.stride, c.pad);
        const dxWasm = await onBackend('wasm', inputGrad);
        const dxCpu = await onBackend('cpu', inputGrad);
        tf.dispose([w, dy]);
        const err = relativeError(dxWasm, dxCpu);
        assert.ok(err < 1e-4, `${pathName}, x ${c.x.join('×')}, filter ${c.k.join('×')}→${c.cout}, stride ${c.stride}, ${c.pad}: relative error ${err}`);
      }
    } finally {
      inputGradOptions.path = saved;
    }
  });
}

/** BatchMatMul: our transposes before XNNPACK for transposeA/transposeB, the shipped kernel otherwise; batched and broadcast too. */
const matMulCases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    const m = 7;
    const k = 33;
    const n = 5;
    matMulCases.push(
      { a: transposeA ? [k, m] : [m, k], b: transposeB ? [n, k] : [k, n], transposeA, transposeB },
      { a: transposeA ? [3, k, m] : [3, m, k], b: transposeB ? [3, n, k] : [3, k, n], transposeA, transposeB },
      { a: transposeA ? [2, 40, 1] : [2, 1, 40], b: transposeB ? [1, 65, 40] : [1, 40, 65], transposeA, transposeB },
    );
  }
}
for (const c of matMulCases) {
  test(`BatchMatMul matches cpu: ${c.a.join('×')}${c.transposeA ? 'ᵀ' : ''} · ${c.b.join('×')}${c.transposeB ? 'ᵀ' : ''}`, async () => {
    await tf.setBackend('cpu');
    const a = tf.randomUniform(c.a, -1, 1, 'float32', 31);
    const b = tf.randomUniform(c.b, -1, 1, 'float32', 32);
    const product = () => tf.matMul(a, b, c.transposeA, c.transposeB);
    const onWasm = await onBackend('wasm', product);
    const onCpu = await onBackend('cpu', product);
    tf.dispose([a, b]);
    assert.ok(relativeError(onWasm, onCpu) < 1e-4, `relative error ${relativeError(onWasm, onCpu)}`);
  });
}

/** Sum: ours for every axis but the last (any channel count, keepDims or not), the shipped kernel for other axes. */
const sumCases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
  { shape: [2, 5, 7, 1], axis: [0, 1, 2], keepDims: false },
  { shape: [3, 6, 5, 16], axis: [0, 1, 2], keepDims: false },
  { shape: [2, 4, 4, 7], axis: [2, 0, 1], keepDims: true },
  { shape: [9, 6], axis: [0], keepDims: false },
  { shape: [4, 5, 3], axis: [0, 1], keepDims: false },
  { shape: [3, 6, 5, 4], axis: [1, 2], keepDims: false },
  { shape: [3, 6, 5, 4], axis: [3], keepDims: true },
  { shape: [64, 64, 3], axis: [0, 1, 2], keepDims: false },
];
for (const c of sumCases) {
  test(`Sum matches cpu: ${c.shape.join('×')} over [${c.axis.join(', ')}]${c.keepDims ? ', keepDims' : ''}`, async () => {
    await tf.setBackend('cpu');
    const x = tf.randomUniform(c.shape, -1, 1, 'float32', 41).add(0.5);
    const sum = () => tf.sum(x, c.axis, c.keepDims);
    const onWasm = await onBackend('wasm', sum);
    const onCpu = await onBackend('cpu', sum);
    const shapeOn = async (name: 'wasm' | 'cpu') => {
      await tf.setBackend(name);
      const t = sum();
      t.dispose();
      return t.shape;
    };
    assert.deepEqual(await shapeOn('wasm'), await shapeOn('cpu'));
    tf.dispose(x);
    assert.ok(relativeError(onWasm, onCpu) < 1e-4, `relative error ${relativeError(onWasm, onCpu)}`);
  });
}

test('Identity and same-dtype Cast share their input’s data; other casts convert as on cpu', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor([1.5, -2.7, 3.2, 0], [2, 2], 'float32');
  const copies = [tf.clone(x), tf.cast(x, 'float32')];
  for (const copy of copies) assert.equal(copy.dataId, x.dataId, 'shared, not copied');
  x.dispose();
  for (const copy of copies) assert.deepEqual(Array.from(await copy.data()), [1.5, -2.7, 3.2, 0].map(Math.fround), 'still readable after the original is disposed');
  const converted = async (name: 'wasm' | 'cpu') => {
    await tf.setBackend(name);
    const f = tf.tensor([1.5, -2.7, 3.2, 0], [4], 'float32');
    const cast = tf.cast(f, 'int32');
    const out = Array.from(await cast.data());
    tf.dispose([f, cast]);
    return out;
  };
  assert.deepEqual(await converted('wasm'), await converted('cpu'));
  await tf.setBackend('wasm');
  const buffers = tf.engine().backend.numDataIds();
  copies[0]!.dispose();
  assert.equal(tf.engine().backend.numDataIds(), buffers, 'kept while a tensor uses it');
  copies[1]!.dispose();
  assert.equal(tf.engine().backend.numDataIds(), buffers - 1, 'freed with its last tensor');
});

test('kernels leave no wasm memory behind and do not free their inputs', async () => {
  await tf.setBackend('wasm');
  const x = tf.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 1) as Tensor4D;
  const w = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2) as Tensor4D;
  const dy = tf.randomUniform([2, 5, 5, 4], -1, 1, 'float32', 3) as Tensor4D;
  const step = () => tf.tidy(() => {
    const [gx, gw] = tf.grads((xx: Tensor, ww: Tensor) => tf.conv2d(xx as Tensor4D, ww as Tensor4D, 2, 'same').mul(dy).sum())([x, w]);
    return gx!.sum().add(gw!.sum());
  });
  for (const path of ['stacked', 'split'] as const) {
    inputGradOptions.path = path;
    step().dispose();
    const before = tf.memory().numBytes;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) step().dispose();
    assert.equal(tf.memory().numBytes, before, `${path} phases`);
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore, `${path} phases`);
  }
  inputGradOptions.path = 'auto';
  // The inputs are still readable: the composite kernels did not release them.
  assert.equal((await x.data()).length, 2 * 9 * 9 * 3);
  assert.equal((await dy.data()).length, 2 * 5 * 5 * 4);
  tf.dispose([x, w, dy]);
});
