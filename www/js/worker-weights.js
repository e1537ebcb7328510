// "Weights by hand" messages of the training worker (js/weights.js). worker.js
// registers them with `Object.assign(handlers, weightsHandlers(needRun))`.
// The core lists and sets the weights (crate/src/model/hand_weights.rs; facade
// crate/src/wasm/weights.rs), between training chunks.
//
// Page → worker                                   worker → page (with `run`)
//   weights {run}                                   weights {rows: [{layer, layer_name, param, shape, index, value}]}
//                                                     (an error for a model of more than 64 weights)
//   set-weight {run, layer, param, index, value}    weights {rows}: the table after the change (nothing changes on an error)
export function weightsHandlers(needRun) {
  return {
    weights({ run }) {
      return { type: 'weights', rows: needRun(run).run.handWeights() };
    },
    'set-weight'({ run, layer, param, index, value }) {
      const r = needRun(run).run;
      const v = Number(value);
      if (!Number.isFinite(v)) throw new Error(`a weight must be a finite number, got "${value}"`);
      r.setHandWeight(Math.max(0, Math.floor(Number(layer) || 0)), String(param), Math.max(0, Math.floor(Number(index) || 0)), v);
      return { type: 'weights', rows: r.handWeights() };
    },
  };
}
