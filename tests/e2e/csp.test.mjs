// The strict Content-Security-Policy (issue 15): www/index.html declares it in a
// <meta http-equiv> (what GitHub Pages serves) and tests/server.mjs sends it as
// a header on the page too. Loading the page and training briefly on threads
// must raise no `securitypolicyviolation` nor a CSP console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, waitFor } from './browser.mjs';

test('the page loads and trains under its strict CSP without a single violation', async () => {
  const b = await open({ coi: true });
  try {
    const violations = [];
    const onConsole = (msg) => {
      if (/Content[- ]Security[- ]Policy/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
    };
    b.page.on('console', onConsole);
    await b.page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
      });
    });
    const res = await b.page.goto(b.server.url);
    assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
    const meta = await b.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.equal(meta, res.headers()['content-security-policy'], 'the header is the meta policy');
    assert.doesNotMatch(meta, /unsafe-inline|'unsafe-eval'|\*/, 'no inline script, no eval, no wildcard');

    const mode = await waitFor(b.page, () => window.gradlab?.state.mode);
    assert.equal(mode.isolated, true);
    await b.page.locator('#start:not([disabled])').click({ timeout: 60_000 });
    const loss = await waitFor(b.page, () => window.gradlab.state.lastLoss);
    assert.ok(Number.isFinite(loss), 'it trained');
    await b.page.locator('#stop').click();
    // The chart tooltip (the one place that sets a colour per element) under the policy.
    await b.page.locator('canvas').first().hover().catch(() => {});
    await b.page.waitForTimeout(300);

    violations.push(...await b.page.evaluate(() => window.__csp));
    assert.deepEqual(violations, []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
