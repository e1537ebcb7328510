// "Works offline once loaded": after one visit the service worker holds every
// file of the page (precache.json), so with the network gone a reload still
// boots the wasm, loads the default MNIST subset from the cache and trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, waitFor } from './browser.mjs';

test('after one visit the page reloads and trains with the network off', async () => {
  const b = await open({ coi: true });
  try {
    await b.page.addInitScript(() => {
      window.addEventListener('gradlab-offline-ready', (e) => { window.__offline = e.detail; });
    });
    await b.page.goto(b.server.url);
    const ready = await waitFor(b.page, () => window.__offline);
    assert.equal(ready.error, undefined, `precache failed: ${ready.error}`);
    assert.ok(ready.files > 10, `only ${ready.files} files cached`);

    await b.context.setOffline(true);
    assert.equal(await b.page.evaluate(() => fetch('index.html', { cache: 'no-store' })
      .then(() => 'cache', () => 'network error')), 'cache', 'the service worker answers from its cache');
    await b.page.reload();
    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    assert.equal(mode.isolated, true, 'offline copies keep the isolation headers (threads)');
    await b.page.locator('#start:not([disabled])').click({ timeout: 60_000 });
    const loss = await waitFor(b.page, () => window.gradlab.state.lastLoss);
    assert.ok(Number.isFinite(loss) && loss > 0, `trained offline, loss ${loss}`);
    await b.page.locator('#stop').click();
  } finally {
    await b.context.setOffline(false).catch(() => {});
    await b.close();
  }
});
