// Loss-surface messages of the training worker (the momentum demo, js/surface.js).
// worker.js registers them with `Object.assign(handlers, surfaceHandlers(() => wasm))`;
// they need no model, so they are answered before any `configure` too (SURFACE_TYPES).
// The maths is the core's (crate/src/surfaces, facade crate/src/wasm/surfaces.rs):
// the function's value grid and the paths of the core's own optimizer updates.
//
// Page → worker                                     worker → page
//   surface-list                                      surface-list {list: [{name, title, bounds, start, minimum, min_value}]}
//   surface-grid {fn, bounds, nx, ny}                 surface-grid {info, values: Float32Array (row 0 = y_min), nx, ny, bounds}
//   surface-paths {fn, optimizers, start, steps}      surface-paths {paths: [{path: [[x, y]…], losses, stopped}]}
// `fn` and `optimizers` are JSON values (objects/arrays), e.g. {name: 'quadratic', kappa: 100} and
// [{name: 'sgd', learning_rate: 0.019, momentum: 0.9}].
export const SURFACE_TYPES = ['surface-list', 'surface-grid', 'surface-paths'];

export function surfaceHandlers(getWasm) {
  const json = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  return {
    'surface-list'() {
      return { type: 'surface-list', list: getWasm().surfaceList() };
    },
    'surface-grid'({ fn, bounds, nx, ny }) {
      const w = getWasm();
      const info = w.surfaceInfo(json(fn));
      const b = bounds ?? info.bounds;
      return { type: 'surface-grid', info, values: w.surfaceGrid(json(fn), Float64Array.from(b), nx, ny), nx, ny, bounds: b };
    },
    'surface-paths'({ fn, optimizers, start, steps }) {
      const paths = getWasm().surfacePaths(json(fn), json(optimizers), Float64Array.from(start), steps);
      return { type: 'surface-paths', paths };
    },
  };
}
