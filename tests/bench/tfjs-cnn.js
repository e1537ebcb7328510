// The reference CNN of issue 12 in TensorFlow.js, and the kernel its wasm
// backend lacks for training it.
//
// tfjs-backend-wasm 4.22 registers Conv2D, FusedConv2D, Conv2DBackpropInput,
// MaxPool and MaxPoolGrad, but not Conv2DBackpropFilter (the kernel gradient
// of a convolution), so `trainOnBatch` on a Conv2D model fails with "Kernel
// 'Conv2DBackpropFilter' not registered for backend 'wasm'". `registerConvShim`
// registers one built from the backend's own kernels (im2col + one MatMul):
//   dW[i, j, c, o] = Σ_{n, y, x} xpad[n, y·sh + i, x·sw + j, c] · dy[n, y, x, o]
// = (patches)ᵀ · dy, where patches[(n, y, x), (i, j, c)] are kh·kw strided
// slices of the padded input concatenated along channels (rows of the
// [kh, kw, cin, cout] filter in that order) and dy is [(n, y, x), o].
/* global tf */

/** Kernels the CNN's training step needs on the wasm backend; `missingKernels()` lists the absent ones. */
const NEEDED = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPool', 'MaxPoolGrad',
  'Relu', 'Step', '_FusedMatMul', 'BatchMatMul', 'Softmax', 'Reshape', 'Sum'];

export const missingKernels = (backend = 'wasm') => NEEDED.filter((k) => !tf.getKernel(k, backend));

/** Conv2DBackpropFilter for NHWC, dilation 1, padding 'valid', 'same' or explicit, from StridedSlice/Concat/MatMul. */
function conv2DBackpropFilter({ inputs, attrs }) {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat && dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter shim: only NHWC, not ${dataFormat}`);
  const engine = tf.engine();
  const x = engine.makeTensorFromTensorInfo(inputs.x);
  const dy = engine.makeTensorFromTensorInfo(inputs.dy);
  try {
    return tf.tidy(() => {
      const [kh, kw, cin, cout] = filterShape;
      const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
      const { top, bottom, left, right } = info.padInfo;
      const xp = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
      const [n, oh, ow] = [info.batchSize, info.outHeight, info.outWidth];
      const [sh, sw] = [info.strideHeight, info.strideWidth];
      const slices = [];
      for (let i = 0; i < kh; i += 1) {
        for (let j = 0; j < kw; j += 1) {
          slices.push(tf.stridedSlice(xp, [0, i, j, 0], [n, i + sh * (oh - 1) + 1, j + sw * (ow - 1) + 1, cin], [1, sh, sw, 1]));
        }
      }
      const patches = tf.reshape(slices.length === 1 ? slices[0] : tf.concat(slices, 3), [n * oh * ow, kh * kw * cin]);
      const dW = tf.matMul(patches, tf.reshape(dy, [n * oh * ow, cout]), true, false);
      return tf.reshape(dW, [kh, kw, cin, cout]);
    });
  } finally {
    x.dispose();
    dy.dispose();
  }
}

/** Registers the shim on `backend` when that backend has no Conv2DBackpropFilter; returns the kernels it added. */
export function registerConvShim(backend = 'wasm') {
  if (tf.getKernel('Conv2DBackpropFilter', backend)) return [];
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: backend, kernelFunc: conv2DBackpropFilter });
  return ['Conv2DBackpropFilter'];
}

/** Checks the shim against the CPU backend's own kernel on a small strided 'same' case; returns the max |difference|. */
export async function checkShim() {
  // The op is not in tf's public namespace; run the kernel as tfjs-core's op does.
  const dW = (x, dy) => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
    { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 5] });
  const on = async (backend, xs, dys) => {
    await tf.setBackend(backend);
    const t = [tf.tensor(xs, [2, 7, 6, 3]), tf.tensor(dys, [2, 4, 3, 5])];
    t.push(dW(t[0], t[1]));
    const out = await t[2].data();
    tf.dispose(t);
    return out;
  };
  const was = tf.getBackend();
  const xs = Float32Array.from({ length: 2 * 7 * 6 * 3 }, (_, i) => Math.sin(i));
  const dys = Float32Array.from({ length: 2 * 4 * 3 * 5 }, (_, i) => Math.cos(3 * i));
  const ref = await on('cpu', xs, dys);
  const ours = await on(was, xs, dys);
  return ours.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i])), 0);
}

/** Conv2D(32, 3×3, relu) → MaxPool 2 → Conv2D(64, 3×3, relu) → MaxPool 2 → Flatten → Dense(128, relu) → Dense(10, softmax). */
export function buildCnn() {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export const CNN_BATCH = 128;
