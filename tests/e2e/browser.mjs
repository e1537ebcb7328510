// Shared set-up for the browser tests: the built site (dist/) served by
// tests/server.mjs, and Debian's Chromium driven by playwright-core with a
// fresh profile per launch (no browser download, no network).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../server.mjs';

export const DIST = resolve(process.env.GRADLAB_DIST ?? join(import.meta.dirname, '..', '..', 'dist'));

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Serves dist/ (gzipped like GitHub Pages) and opens a browser; returns { server, context, page, close }.
 * `onServe` sees every request the server answers (tests/server.mjs); `root` serves another built site.
 */
export async function open({ coi = true, prefix = '/', viewport, onServe, root = DIST } = {}) {
  const server = await startServer({ root, coi, prefix, onServe });
  const profile = await mkdtemp(join(tmpdir(), 'gradlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: viewport ?? { width: 1280, height: 900 },
  });
  // Test hooks (www/js/testing.js: window.gradlab) are opt-in: every test page asks for them.
  await context.addInitScript(() => { globalThis.__GRADLAB_TEST__ = true; });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    server, context, page, errors,
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` in the page until it returns a truthy value. */
export async function waitFor(page, fn, arg, timeout = 60_000) {
  const handle = await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  return handle.jsonValue();
}
