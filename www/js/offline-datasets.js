// The offline copy (js/coi.js → sw.js) also keeps the files of every bundled dataset a model was
// built on during this visit: on a first visit the worker may fetch them before the service worker
// controls the page, and then the service worker never saw them. This names them to coi.js in the
// page's data-offline attribute (as app.js names the wasm build in data-wasm).
import { datasetFacts } from './schema.js';

export function trackOfflineDatasets(session) {
  const files = new Set();
  session.on('configured', ({ dataset }) => {
    for (const f of datasetFacts(dataset.name)?.files ?? []) files.add(`datasets/${f}`);
    document.documentElement.dataset.offline = [...files].join(' ');
  });
}
