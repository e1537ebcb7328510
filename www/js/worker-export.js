// "Export to Keras" in the worker (issue 13.5): the page sends the config and,
// after training, the model file; the worker's wasm builds both texts, so the
// main thread loads no wasm of its own. An experiment on uploaded data is
// exported with the upload's file name and import decisions (Data.exportKeras),
// a bundled one with the core's `exportKeras`.
//   export {config, model?}  → export {py, ipynb}: Blobs (with a big model's weights each can be hundreds of
//   MB, which the page only downloads)   (model: the file as a Blob, from `save`, or its text)
import { exportData } from './worker-upload.js';

export function exportHandlers(getWasm) {
  return {
    async export({ config, model: file }) {
      const model = file instanceof Blob ? await file.text() : file;
      const wasm = getWasm();
      const cfg = typeof config === 'string' ? config : JSON.stringify(config);
      const { dataset, seed } = JSON.parse(cfg);
      const data = exportData(wasm, dataset, seed ?? 42);
      try {
        const make = (format) => (data ? data.exportKeras(cfg, format, model) : wasm.exportKeras(cfg, format, model));
        return { type: 'export', py: new Blob([make('py')], { type: 'text/x-python' }),
          ipynb: new Blob([make('ipynb')], { type: 'application/x-ipynb+json' }) };
      } finally {
        data?.free();
      }
    },
  };
}
