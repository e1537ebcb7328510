// "See inside the network" messages of the training worker (js/inside.js, js/network.js).
// worker.js registers them with `Object.assign(handlers, insideHandlers(needRun))`.
// The maths is the core's (crate/src/model/probe.rs, crate/src/inside.rs; facade
// crate/src/wasm/inside.rs); everything is computed between training chunks, on request.
//
// Page → worker                                   worker → page (with `run`)
//   inside-probe {run, on}                          inside-probe {on}: gradient norms collected from the next batch (or not)
//   inside-norms {run}                              inside-norms {report: {step, batches, params: [{layer, layer_name, param,
//                                                     size, grad_norm, last_grad_norm, weight_norm}]} | null (probe off)}
//                                                     means over the batches since the previous inside-norms
//   inside {run, samples=256, bins=30}              inside {histograms: [{index, name, kind, weights, activations}]}
//                                                     ({min, max, counts, nonfinite} each; weights null without params)
//   inside-output {run, input: Float32Array, layer} inside-output {shape, values}: that layer's outputs for the inputs
//   inside-weights {run, rows=16, cols=16}          inside-weights {blocks: [{index, name, kind, shape, fan_in, units,
//                                                     rows, cols, values, bias}]}: the top-left of every kernel
export const INSIDE_TYPES = ['inside-probe', 'inside-norms', 'inside', 'inside-output', 'inside-weights'];

const count = (v, dflt, max) => Math.max(1, Math.min(max, Math.floor(Number(v ?? dflt)) || dflt));

export function insideHandlers(needRun) {
  return {
    'inside-probe'({ run, on }) {
      needRun(run).run.setProbe(Boolean(on));
      return { type: 'inside-probe', on: Boolean(on) };
    },
    'inside-norms'({ run }) {
      return { type: 'inside-norms', report: needRun(run).run.takeProbe() };
    },
    inside({ run, samples, bins }) {
      return { type: 'inside', histograms: needRun(run).run.layerHistograms(count(samples, 256, 1024), count(bins, 30, 256)) };
    },
    'inside-output'({ run, input, layer }) {
      const out = needRun(run).run.layerOutput(Float32Array.from(input), Math.max(0, Math.floor(Number(layer) || 0)));
      return { type: 'inside-output', shape: out.shape, values: Float32Array.from(out.values) };
    },
    'inside-weights'({ run, rows, cols }) {
      return { type: 'inside-weights', blocks: needRun(run).run.weightBlocks(count(rows, 16, 4096), count(cols, 16, 256)) };
    },
  };
}
