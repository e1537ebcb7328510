// "See inside: the network drawn" in headless Chromium: on circles a small MLP
// draws one node per unit (input 2 + 8 + 4 + 2) with a decision map in every
// neuron, redrawn while training; an MNIST MLP shows 32 templates of 28×28
// weights; a Conv2D model shows its filters and the feature maps of an image.
// Screenshots: docs/see-inside-network{,-templates,-filters}.png (GRADLAB_DOCS=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, waitFor, link, shot } from './playground-lib.mjs';

const net = (page) => page.evaluate(() => ({ ...window.gradlab.network }));
const picture = (page) => page.evaluate(() => document.querySelector('#network .gl-network-graph').toDataURL());

test('network drawn on circles: a node per unit, each with its own map, redrawn while training', async () => {
  const hash = link({ dataset: 'circles', layers: 'Dense(8,tanh);Dense(4,tanh);Dense(2,softmax)',
    optimizer: 'adam(learning_rate=0.02)', batch_size: 16, epochs: 1000, validation_split: 0 });
  const b = await openPlayground({ hash });
  const { page } = b;
  try {
    await waitFor(page, () => !document.getElementById('network').hidden && window.gradlab.network.draws >= 1);
    const first = await net(page);
    assert.equal(first.nodes, 2 + 8 + 4 + 2);
    assert.equal(first.maps, 8 + 4 + 2);
    const before = await picture(page);
    await page.click('#start');
    await waitFor(page, (d) => window.gradlab.network.draws >= d + 2 && window.gradlab.store.get().step > 50, first.draws, 120_000);
    await page.evaluate(() => { if (window.gradlab.store.get().running) window.gradlab.session.pause(); });
    await waitFor(page, () => !window.gradlab.store.get().running);
    await waitFor(page, () => window.gradlab.network.drawnStep === window.gradlab.store.get().step);
    assert.notEqual(await picture(page), before, 'the drawing changed while training');
    await page.locator('#network').scrollIntoViewIfNeeded();
    await shot(page, 'see-inside-network', { clip: await page.locator('#network').boundingBox() });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('network drawn: MNIST MLP shows 28×28 templates, a Conv2D model its filters and feature maps', async () => {
  const b = await openPlayground({ hash: link({ epochs: 1 }) });
  const { page } = b;
  try {
    await waitFor(page, () => window.gradlab.network.draws >= 1 && window.gradlab.network.templates > 0);
    const mlp = await net(page);
    assert.equal(mlp.templates, 32);
    assert.equal(mlp.nodes, 16 + 16 + 10);   // 784 inputs and 128 units summarised to 16 drawn
    assert.equal(await page.locator('#network canvas.gl-template').count(), 32);
    await page.locator('#network').scrollIntoViewIfNeeded();
    await shot(page, 'see-inside-network-templates', { clip: await page.locator('#network').boundingBox() });

    await page.evaluate((h) => { location.hash = h; }, link({ layers: 'Conv2D(8,(3,3),activation=relu);Flatten;Dense(10,softmax)', epochs: 1 }));
    await waitFor(page, () => window.gradlab.network.filters > 0 && window.gradlab.network.featureMaps > 0, undefined, 120_000);
    const cnn = await net(page);
    assert.deepEqual([cnn.filters, cnn.featureMaps, cnn.templates, cnn.nodes], [8, 8, 0, 0]);
    assert.equal(await page.locator('#network canvas.gl-filter').count(), 8);
    assert.equal(await page.locator('#network canvas.gl-featuremap').count(), 8);
    await shot(page, 'see-inside-network-filters', { clip: await page.locator('#network').boundingBox() });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
