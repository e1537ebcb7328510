// A small static file server for the built site, used by `scripts/serve` and
// by the browser tests. With `coi` it sends the COOP/COEP headers that make
// the page cross-origin isolated (SharedArrayBuffer, wasm threads); without
// them it behaves like GitHub Pages. Like GitHub Pages it gzips text and wasm
// when the request accepts gzip, and sends an ETag so that a revalidation
// (`Cache-Control: no-cache`: edits show on reload) costs a body-less 304.
// It also sends a page's own <meta> Content-Security-Policy as a header on that
// page. Workers take their policy from their own response: none, as on GitHub
// Pages. (Under a policy the training worker would need `blob:` in script-src:
// wasm-bindgen-rayon starts its helper workers from a blob: URL; checked.)
//   node tests/server.mjs DIR [--port 8080] [--coi] [--prefix /repo/]
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.csv': 'text/csv; charset=utf-8', '.gz': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json', '.txt': 'text/plain; charset=utf-8',
};

// Compressed like GitHub Pages does; `.gz` datasets are already compressed.
const GZIP = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.csv', '.webmanifest', '.txt']);

/** Body, ETag, CSP and gzipped body of a file, computed once per (file, mtime). */
const encoded = new Map();
async function load(file, mtimeMs) {
  const hit = encoded.get(file);
  if (hit?.mtimeMs === mtimeMs) return hit;
  const body = await readFile(file);
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
  // A page's Content-Security-Policy is written once, in its <meta http-equiv>; it is sent as a header too.
  const csp = extname(file) === '.html'
    ? body.toString('utf8').match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1] : undefined;
  const entry = { mtimeMs, body, etag, csp, gzip: GZIP.has(extname(file)) ? gzipSync(body) : null };
  encoded.set(file, entry);
  return entry;
}

/**
 * Starts a server; resolves to { url, close() }. `prefix` mimics a GitHub Pages sub-path.
 * `onServe({ path, status, bytes })`, if given, is called for every answered request with the bytes
 * written (headers + body as sent): the weight test counts what crossed the network with it.
 */
export async function startServer({ root, port = 0, coi = false, prefix = '/', onServe }) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    if (onServe) {
      res.on('finish', () => {
        // The status line and headers as written (`_header`, Node's rendered head), + the body as sent.
        const bytes = Buffer.byteLength(res._header ?? '') + (res.sentBody ?? 0);
        onServe({ path: new URL(req.url, 'http://x').pathname, status: res.statusCode, bytes });
      });
    }
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
    let file = normalize(join(base, path.slice(prefix.length)));
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      const { body, etag, csp, gzip } = await load(file, info.mtimeMs);
      const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache', ETag: etag };
      if (gzip) headers.Vary = 'Accept-Encoding';
      if (csp) headers['Content-Security-Policy'] = csp;
      if (coi) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      }
      if (req.headers['if-none-match']?.split(/,\s*/).includes(etag)) { res.writeHead(304, headers).end(); return; }
      const useGzip = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (useGzip) headers['Content-Encoding'] = 'gzip';
      const sent = req.method === 'HEAD' ? undefined : useGzip ? gzip : body;
      res.sentBody = sent?.length ?? 0;
      res.writeHead(200, headers).end(sent);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { url, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
  const { url } = await startServer({
    root: args[0] ?? 'dist', port: Number(opt('--port', 8080)), coi: args.includes('--coi'),
    prefix: opt('--prefix', '/'),
  });
  console.log(`Gradient Lab at ${url}${args.includes('--coi') ? ' (COOP/COEP: threads on)' : ''}`);
}
