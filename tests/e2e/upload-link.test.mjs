// The link of an experiment on an uploaded CSV says how the file was read
// (issue 13.1): its dataset is `upload:<file>@<sha256-12>(<options>)`. Opened
// elsewhere and given the same file, the same data comes back (same split and
// scaling: three training steps from the same seed give the same weights); a
// reload restores it from IndexedDB; another file is previewed with the link's
// options and the difference is said; the same file read another way is
// another dataset (the model is rebuilt); a wrong option in a link is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, openPlayground, ready, state, waitFor } from './playground-lib.mjs';

/** 60 rows, the label first ("species": 3 names), 3 numeric features; `bump` changes one value (another file). */
function flowersCsv(bump = 0) {
  const names = ['setosa', 'versicolor', 'virginica'];
  const lines = ['species,sepal,petal,width'];
  for (let i = 0; i < 60; i += 1) {
    const k = i % 3;
    lines.push(`${names[k]},${(k * 2 + (i % 7) / 10 + (i === 0 ? bump : 0)).toFixed(1)},${(k + (i % 5) / 10).toFixed(1)},`
      + `${(0.5 + k + (i % 3) / 10).toFixed(2)}`);
  }
  return { name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) };
}
const choose = (page, files) => page.setInputFiles('#upload-data-input', files);
const previewShown = (page) => waitFor(page, () => !document.getElementById('upload-preview').hidden, undefined, 60_000);
const HOW = '(skip_lines=0,header=true,label=species,task=classification,scaling=min_max,test_fraction=0.25)';

/** The weights' hash after 3 steps from fresh weights: equal only for equal data, split, scaling and seed. */
async function hashAfterSteps(page) {
  await page.evaluate(() => window.gradlab.session.reset());
  await page.evaluate(() => window.gradlab.session.step(3));
  await waitFor(page, () => window.gradlab.store.get().step === 3 && !window.gradlab.store.get().running);
  return page.evaluate(async () => (await window.gradlab.engine.request('hash', { run: 'main' })).hash);
}

test('the link says how the CSV was read; elsewhere the same file gives the same data, another one is said to differ', async () => {
  const a = await openPlayground();
  let url;
  let hash;
  let name;
  let info;
  try {
    await choose(a.page, flowersCsv());
    await previewShown(a.page);
    await a.page.selectOption('#upload-label', '0');
    await waitFor(a.page, () => /3 classes/.test(document.getElementById('upload-facts')?.textContent));
    await a.page.selectOption('#upload-scaling', 'min_max');
    await waitFor(a.page, () => /scaling=min_max/.test(document.getElementById('upload-name')?.textContent));
    await a.page.fill('#upload-test', '0.25');
    await a.page.dispatchEvent('#upload-test', 'change');
    // 60 rows, 25 % of each class (20) to test: 5 each.
    await waitFor(a.page, () => /60 rows \(45 train, 15 test\)/.test(document.getElementById('upload-facts')?.textContent));
    assert.match(await a.page.textContent('#upload-name'), new RegExp(`In the link: upload:flowers\\.csv@[0-9a-f]{12}${HOW.replace(/[()]/g, '\\$&')}$`));
    await a.page.click('#upload-use');
    await waitFor(a.page, () => window.gradlab.store.get().config.dataset.startsWith('upload:'));
    await ready(a.page);
    ({ config: { dataset: name }, dataInfo: info } = await state(a.page));
    assert.ok(name.endsWith(HOW), name);
    url = a.page.url();
    assert.ok(decodeURIComponent(url).includes(`&dataset=${name}&`), 'the link carries the options, readably');
    hash = await hashAfterSteps(a.page);
    // The same file read another way is another dataset: the model is rebuilt on the other data.
    await choose(a.page, flowersCsv());
    await previewShown(a.page);
    await a.page.selectOption('#upload-scaling', 'none');
    await waitFor(a.page, () => /scaling=none/.test(document.getElementById('upload-name')?.textContent));
    await a.page.click('#upload-use');
    await waitFor(a.page, () => /scaling=none/.test(window.gradlab.store.get().config.dataset));
    await ready(a.page);
    assert.notEqual(await hashAfterSteps(a.page), hash, 'other scaling, other weights');
    assert.deepEqual(a.errors, []);
  } finally {
    await a.close();
  }

  const b = await openPlayground({ hash: url.slice(url.indexOf('#')) });
  try {
    assert.match(await b.page.textContent('#notice-text'), /flowers\.csv .*choose the file/);
    // The very file: read as the link says, without the dialog.
    await choose(b.page, flowersCsv());
    await waitFor(b.page, () => window.gradlab.store.get().inspection?.ok === true, undefined, 60_000);
    await ready(b.page);
    let s = await state(b.page);
    assert.equal(s.config.dataset, name);
    assert.equal(await b.page.isHidden('#upload-preview'), true);
    assert.deepEqual(s.dataInfo, info);
    assert.equal(s.dataInfo.test, 15);
    assert.equal(await hashAfterSteps(b.page), hash, 'the same data, split and scaling: the same weights');
    // A reload reads the stored copy the same way.
    await b.page.reload();
    await ready(b.page);
    s = await state(b.page);
    assert.equal(s.config.dataset, name);
    assert.equal(await hashAfterSteps(b.page), hash, 'after a reload too');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }

  const c = await openPlayground({ hash: url.slice(url.indexOf('#')) });
  try {
    // Another file (one value differs): previewed with the link's options, the difference said, still usable.
    await choose(c.page, flowersCsv(0.3));
    await previewShown(c.page);
    assert.match(await c.page.textContent('#upload-mismatch'), /but the link's experiment used flowers\.csv@[0-9a-f]{12}.*results will differ/);
    assert.deepEqual(await Promise.all(['#upload-label', '#upload-scaling', '#upload-test'].map((id) => c.page.inputValue(id))),
      ['0', 'min_max', '0.25']);
    await c.page.click('#upload-use');
    await waitFor(c.page, () => window.gradlab.store.get().inspection?.ok === true, undefined, 60_000);
    const other = (await state(c.page)).config.dataset;
    assert.notEqual(other, name);
    assert.ok(other.endsWith(HOW), other);
    assert.deepEqual(c.errors, []);
  } finally {
    await c.close();
  }
});

test('a wrong reading option in a link is named', async () => {
  const b = await openPlayground({ hash: link({ dataset: 'upload:flowers.csv@ba7816bf8f01(label=species,scaling=max)',
    layers: 'Dense(3,softmax)' }) });
  try {
    const s = await state(b.page);
    assert.equal(s.inspection.ok, false);
    assert.equal(s.inspection.problems[0].path, 'dataset');
    assert.match(s.inspection.problems[0].message, /scaling=max is not one of standardize, min_max, none/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
