// While a run trains, the views repaint what is on screen instead of building it
// again (issue 14.5: each new canvas and each rebuilt table cost the main thread
// layout and the collector its pauses, up to 81 ms tasks while one run trained):
// the first layer's templates, the epoch history (an epoch end appends its row;
// past 12 rows the oldest goes), the confusion matrix and the misclassified
// gallery keep their elements and show new numbers and pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, until, waitFor, link } from './playground-lib.mjs';

const EPOCHS = 16;

test('training repaints the templates, the history, the confusion matrix and the gallery in place', async () => {
  const b = await openPlayground({ hash: link({ epochs: EPOCHS }) });
  const { page } = b;
  try {
    await page.click('#start');
    // The first epoch end evaluates on the test set (later ones at most every 3 s).
    await waitFor(page, () => document.querySelector('#gallery button canvas') && !window.gradlab.evaluation.busy
      && document.querySelector('#network canvas.gl-template') && document.querySelector('#history-table tbody tr'), undefined, 120_000);
    const before = await page.evaluate(() => {
      const g = window.gradlab;
      const els = {
        template: document.querySelector('#network canvas.gl-template'),
        row: document.querySelector('#history-table tbody tr:last-child'),
        cell: document.querySelector('#confusion tbody td'),
        thumb: document.querySelector('#gallery button canvas'),
      };
      for (const el of Object.values(els)) el.gradlabKept = true;
      window.kept = els;
      window.keptResult = g.store.get().testResult;
      return {
        draws: g.network.draws,
        pixels: els.template.toDataURL(),
        counts: [...document.querySelectorAll('#confusion tbody td:not(.gl-recall)')].map((td) => td.textContent).join(),
        row: els.row.querySelector('th').textContent,
      };
    });
    const marked = parseInt(before.row, 10);   // the epoch of the row marked (the last one shown then)

    // The next epoch end appends its row: the one marked is still on screen, the same element.
    await waitFor(page, (k) => parseInt(document.querySelector('#history-table tbody tr:last-child th')?.textContent ?? '0', 10) > k,
      marked, 120_000);
    const next = await page.evaluate(() => ({
      kept: window.kept.row.isConnected && window.kept.row.gradlabKept === true,
      rows: [...document.querySelectorAll('#history-table tbody tr th')].map((th) => th.textContent),
    }));
    const lastEpoch = parseInt(next.rows.at(-1), 10);
    const n = Math.min(lastEpoch, 12);
    assert.deepEqual(next.rows, Array.from({ length: n }, (_, i) => `${lastEpoch - n + 1 + i}/${EPOCHS}`), 'the last epochs, in order');
    if (next.rows.includes(before.row)) assert.equal(next.kept, true, 'a row still shown is the same element');

    // A later template drawing and a later evaluation, the run still going or just finished.
    await waitFor(page, (d) => window.gradlab.network.draws >= d + 2 && window.gradlab.store.get().testResult
      && window.gradlab.store.get().testResult !== window.keptResult && !window.gradlab.evaluation.busy, before.draws, 120_000);
    const during = await page.evaluate(() => ({
      kept: Object.fromEntries(['template', 'cell', 'thumb'].map((k) => [k, window.kept[k].isConnected && window.kept[k].gradlabKept === true])),
      pixels: window.kept.template.toDataURL(),
      counts: [...document.querySelectorAll('#confusion tbody td:not(.gl-recall)')].map((td) => td.textContent).join(),
      templates: document.querySelectorAll('#network canvas.gl-template').length,
    }));
    assert.deepEqual(during.kept, { template: true, cell: true, thumb: true }, 'the same elements are on screen');
    assert.notEqual(during.pixels, before.pixels, 'the template shows the new weights');
    assert.notEqual(during.counts, before.counts, 'the confusion matrix shows the new evaluation');
    assert.equal(during.templates, 32);

    await until(page, 'finished', 300_000);
    await waitFor(page, (e) => document.querySelector('#history-table tbody tr:last-child th')?.textContent === `${e}/${e}`
      && !window.gradlab.evaluation.busy && window.gradlab.store.get().testResult, EPOCHS);
    const after = await page.evaluate(() => ({
      rows: [...document.querySelectorAll('#history-table tbody tr th')].map((th) => th.textContent),
      more: document.querySelector('#history').textContent.match(/\d+ earlier epochs not shown/)?.[0] ?? null,
      rowKept: window.kept.row.isConnected,
      thumbKept: window.kept.thumb.isConnected,
      history: window.gradlab.watch.history().length,
    }));
    assert.equal(after.history, EPOCHS);
    assert.deepEqual(after.rows, Array.from({ length: 12 }, (_, i) => `${EPOCHS - 11 + i}/${EPOCHS}`), 'the last 12 epochs, in order');
    assert.equal(after.more, `${EPOCHS - 12} earlier epochs not shown`);
    if (marked <= EPOCHS - 12) assert.equal(after.rowKept, false, 'an epoch no longer among the last 12 went');
    assert.equal(after.thumbKept, true, 'the gallery repaints its thumbnails');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
