// Mounts every playground component with fake data, for the browser test
// (tests/e2e/components.test.mjs) and for looking at them by eye.
// Everything mounted is exposed as window.components.
import { mountChart } from '../js/components/chart.js';
import { mountDrawpad } from '../js/components/drawpad.js';
import { mountProbabilities } from '../js/components/probabilities.js';
import { mountConfusion } from '../js/components/confusion.js';
import { mountGallery } from '../js/components/gallery.js';
import { mountSamples } from '../js/components/samples.js';

const $ = (id) => document.getElementById(id);
let seed = 12345;
const rand = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };

/** A fake 28×28 MNIST-like digit (white on black, u8) rendered from a font. */
function fakeDigit(d, tilt = 0) {
  const c = document.createElement('canvas');
  c.width = c.height = 28;
  const g = c.getContext('2d');
  g.fillStyle = '#000'; g.fillRect(0, 0, 28, 28);
  g.translate(14, 14); g.rotate(tilt); g.fillStyle = '#fff';
  g.font = 'bold 22px sans-serif'; g.textAlign = 'center'; g.textBaseline = 'middle';
  g.fillText(String(d), 0, 1);
  const rgba = g.getImageData(0, 0, 28, 28).data;
  return Uint8Array.from({ length: 784 }, (_, i) => rgba[i * 4]);
}

// Charts: 5 epochs × 300 batches of a noisy decaying loss, validation per epoch.
const loss = mountChart($('loss'), { title: 'Loss', yLabel: 'loss', logToggle: true });
const acc = mountChart($('acc'), { title: 'Accuracy', yLabel: 'accuracy', percent: true });
const PER = 300;
const train = [], trainAcc = [], val = [], valAcc = [];
for (let step = 1; step <= 5 * PER; step += 1) {
  const epoch = Math.ceil(step / PER);
  const l = 2.2 * Math.exp(-step / 180) + 0.08 + (rand() - 0.5) * 0.25 * Math.exp(-step / 900);
  train.push({ x: step, y: Math.max(0.01, l), epoch });
  trainAcc.push({ x: step, y: Math.min(1, 1 - 0.9 * Math.exp(-step / 150) - 0.03 + (rand() - 0.5) * 0.08), epoch });
  if (step % PER === 0) {
    val.push({ x: step, y: 0.06 + 0.4 * Math.exp(-step / 400), epoch });
    valAcc.push({ x: step, y: 0.975 - 0.2 * Math.exp(-step / 300), epoch });
  }
}
loss.addPoints('train', train);
loss.addPoints('val', val);
acc.addPoints('train', trainAcc);
acc.addPoints('val', valAcc);

// Probabilities: a fake "model" that prefers the class nearest to the drawing's ink mass.
const labels = Array.from({ length: 10 }, (_, i) => String(i));
const probs = mountProbabilities($('probs'), { labels });
const padResults = [];
function fakePredict(r) {
  const mass = r.pixels.reduce((s, v) => s + v, 0);
  const logits = labels.map((_, k) => -Math.abs(k - (mass / 12) % 10));
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(3 * (v - m)));
  const z = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, (v) => v / z);
}
const pad = mountDrawpad($('pad'), {
  onChange: (r) => {
    padResults.push({ empty: r.empty, cx: r.centerOfMass.x, cy: r.centerOfMass.y,
      sum: r.pixels.reduce((s, v) => s + v, 0) });
    if (r.empty) probs.clear(); else probs.update(fakePredict(r));
  },
});
probs.update(Float32Array.from([0.01, 0.002, 0.03, 0.87, 0.001, 0.05, 0.0002, 0.02, 0.015, 0.0018]));

// Confusion matrix: a good classifier with a few typical mistakes (4↔9, 3↔5, 7→2).
const n = 10;
const counts = new Uint32Array(n * n);
for (let i = 0; i < n; i += 1) counts[i * n + i] = 180 + Math.round(rand() * 30);
for (const [t, p, c] of [[4, 9, 14], [9, 4, 9], [3, 5, 11], [5, 3, 7], [7, 2, 6], [8, 3, 4], [2, 7, 3], [6, 0, 2]]) {
  counts[t * n + p] = c;
}
const confusion = mountConfusion($('confusion'));
confusion.update({ n, counts, labels });

// Gallery: misclassified fake digits.
const gallery = mountGallery($('gallery'), { title: 'Misclassified test images' });
const wrong = [[9, 4, 0.81], [5, 3, 0.64], [2, 7, 0.93], [4, 9, 0.55], [3, 8, 0.71], [0, 6, 0.6], [1, 7, 0.99], [8, 3, 0.5]];
gallery.update(wrong.map(([truth, pred, confidence], k) => ({
  pixels: fakeDigit(truth, (k % 3 - 1) * 0.3), h: 28, w: 28, pred, truth, confidence })));

// Dataset previews: images, then an iris-like table.
const samplesImg = mountSamples($('samples-img'));
const imgs = new Uint8Array(12 * 784);
for (let k = 0; k < 12; k += 1) imgs.set(fakeDigit(k % 10, (rand() - 0.5) * 0.4), k * 784);
samplesImg.update({ x: imgs, labels: Float64Array.from({ length: 12 }, (_, k) => k % 10), sampleShape: [28, 28, 1] });
const samplesTab = mountSamples($('samples-tab'));
const feats = Float32Array.from({ length: 6 * 4 }, () => (rand() - 0.5) * 3);
samplesTab.update({ x: feats, labels: Float64Array.from([0, 1, 2, 0, 1, 2]), sampleShape: [4],
  classNames: ['setosa', 'versicolor', 'virginica'] });

window.components = { loss, acc, pad, probs, confusion, gallery, samplesImg, samplesTab, padResults, fakeDigit };
