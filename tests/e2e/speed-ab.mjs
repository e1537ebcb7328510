// Benchmark (not a test): training samples/s of the page in headless Chromium for two (or more)
// built sites, interleaved (A B A B …) so that a busy machine slows them alike and the RATIO
// means something even under load:
//   node tests/e2e/speed-ab.mjs DIST_A DIST_B [--rounds 3] [--seconds 4] [--model small|wide|deep|mlp2|default|cnn2]
// Each measurement: open the playground at a link (MNIST-small, Adam, batch 32 or 128), press
// Start, skip the first 20 steps, count the steps the worker reports over --seconds of wall time.
// Prints each round and the median per site, and the ratio of each site to the first.
import { open, waitFor } from './browser.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const ROUNDS = Number(opt('--rounds', 3));
const SECONDS = Number(opt('--seconds', 4));
const MODELS = {
  small: { layers: 'Flatten;Dense(128,relu);Dense(10,softmax)', batch: 32 },
  wide: { layers: 'Flatten;Dense(512,relu);Dropout(0.2);Dense(10,softmax)', batch: 32 },
  deep: { layers: 'Flatten;Dense(1024,relu);Dense(512,relu);Dense(512,relu);Dense(10,softmax)', batch: 128 },
  mlp2: { layers: 'Flatten;Dense(512,relu);Dropout(0.2);Dense(256,relu);Dropout(0.2);Dense(10,softmax)', batch: 64 },
  default: { layers: 'Conv2D(12,(5,5),strides=(2,2),activation=relu);Conv2D(24,(3,3),activation=relu);MaxPooling2D;Flatten;Dense(10,softmax)', batch: 16 },
  cnn2: { layers: 'Conv2D(8,(3,3),activation=relu);MaxPooling2D;Conv2D(16,(3,3),activation=relu);MaxPooling2D;Flatten;Dense(10,softmax)', batch: 64 },
};
const model = MODELS[opt('--model', 'small')];
const hash = `#v=1&dataset=mnist&layers=${model.layers}&loss=categorical_crossentropy&optimizer=adam(learning_rate=0.001)`
  + `&batch_size=${model.batch}&epochs=200&validation_split=0&seed=42`;

async function measure(dist) {
  const b = await open({ coi: true, root: dist });
  try {
    await b.page.goto(b.server.url + hash);
    await b.page.locator('#start:not([disabled])').waitFor({ timeout: 120_000 });
    await b.page.click('#start');
    await waitFor(b.page, () => window.gradlab?.store.get().step > 20);
    const s0 = await b.page.evaluate(() => window.gradlab.store.get().step);
    const t0 = Date.now();
    await b.page.waitForTimeout(SECONDS * 1000);
    const s1 = await b.page.evaluate(() => window.gradlab.store.get().step);
    return ((s1 - s0) * model.batch) / ((Date.now() - t0) / 1000);
  } finally {
    await b.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const got = dists.map(() => []);
for (let r = 0; r < ROUNDS; r += 1) {
  for (const [i, d] of dists.entries()) got[i].push(await measure(d));
  console.log(`round ${r + 1}: ${got.map((g, i) => `${dists[i]} ${Math.round(g.at(-1))}`).join(' | ')} samples/s`);
}
const base = median(got[0]);
for (const [i, d] of dists.entries()) {
  console.log(`${d}: median ${Math.round(median(got[i]))} samples/s (${(median(got[i]) / base).toFixed(3)} × the first)`);
}
