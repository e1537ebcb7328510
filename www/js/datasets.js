// Fetches a bundled dataset's files (names from the core's schema), with
// progress, and un-gzips them with the browser's DecompressionStream. Files
// are kept in memory per dataset, so switching back is instant. Offline, a
// dataset that is not in the offline copy (sw.js caches the default one, and
// others once they were picked online) fails with a message that says so.
const cache = new Map();
const base = new URL('../datasets/', import.meta.url);

async function fetchBytes(path, onBytes) {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`could not load dataset file ${path}: HTTP ${res.status}`);
  let stream = res.body;
  if (onBytes) {
    stream = stream.pipeThrough(new TransformStream({
      transform(chunk, ctl) { onBytes(chunk.byteLength); ctl.enqueue(chunk); },
    }));
  }
  if (path.endsWith('.gz')) stream = stream.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

let catalogue = null;
/** {files, approxBytes} of dataset `name`: from the core's schema, or its older `catalogueEntry`. */
function entry(wasm, name) {
  if (!wasm.schema) return wasm.catalogueEntry(name);
  catalogue ??= new Map(wasm.schema().datasets.map((d) => [d.name, { files: d.files, approxBytes: d.approx_bytes, title: d.title }]));
  const e = catalogue.get(name);
  if (!e) throw new Error(`the dataset "${name}" does not exist here (choose one of: ${[...catalogue.keys()].join(', ')})`);
  return e;
}

/**
 * Resolves to the decompressed files of dataset `name`, in catalogue order. A second call while
 * the first is downloading (boot's prefetch, then the page's configure) waits for the same download.
 */
export function loadDatasetFiles(wasm, name, onProgress) {
  if (!cache.has(name)) {
    cache.set(name, download(wasm, name, onProgress).catch((err) => {
      cache.delete(name);   // a later call tries again (back online, say)
      throw err;
    }));
  }
  return cache.get(name);
}

async function download(wasm, name, onProgress) {
  const info = entry(wasm, name);
  let loaded = 0;
  const total = info.approxBytes || 0;
  onProgress?.(0, total);
  let files;
  try {
    files = await Promise.all(info.files.map((f) => fetchBytes(f, (n) => {
      loaded += n;
      onProgress?.(loaded, total);
    })));
  } catch (err) {
    onProgress?.(total, total);
    throw err instanceof TypeError ? notOffline(info.title ?? name, total) : err;   // TypeError: no network
  }
  return files;
}

/** "MNIST digits, full (…) is not available offline: connect once to download it (11.4 MB)". */
export function notOffline(title, bytes) {
  const mb = bytes >= 10e6 ? (bytes / 1e6).toFixed(0) : (bytes / 1e6).toFixed(1);
  return new Error(`${title} is not available offline: connect once to download it (${mb} MB)`);
}
