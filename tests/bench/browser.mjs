// The browser the benchmarks run in: the test server (with COOP/COEP, so the
// threaded build runs) and headless Debian Chromium in a fresh profile, with
// nothing in the background that could steal the cores. `close()` ends both.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../server.mjs';

/**
 * The threaded build to measure in `dist`: `requested` (--threaded) if given, else the one the page
 * runs in Chromium (relaxed SIMD, www/js/wasm-build.js) where it was built, else the plain simd128 one.
 */
export function threadedPkg(dist, requested) {
  return requested ?? (existsSync(join(dist, 'pkg-threads-relaxed', 'gradlab.js')) ? 'pkg-threads-relaxed' : 'pkg-threads');
}

export async function openBenchBrowser(root) {
  const server = await startServer({ root, coi: true });
  const profile = mkdtempSync(join(tmpdir(), 'gradlab-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling'],
  });
  return {
    server,
    context,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
