// Walking-skeleton page: XOR trained in the worker, loss plotted as it falls.
import { Engine, modeLabel } from './engine.js';

const XOR = {
  dataset: 'xor',
  layers: [
    { type: 'Dense', units: 8, activation: 'tanh' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
  loss: 'binary_crossentropy',
  optimizer: { name: 'adam', learning_rate: 0.05 },
  metrics: ['accuracy'],
  batch_size: 4,
  epochs: 2000,
  seed: 1,
};

const $ = (id) => document.getElementById(id);
const losses = [];
const engine = new Engine();
window.gradlab = { engine, losses, state: { mode: null, running: false, lastLoss: null, epoch: 0 } };
const state = window.gradlab.state;

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

let drawQueued = false;
function draw() {
  drawQueued = false;
  const c = $('chart');
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  if (losses.length < 2) return;
  const max = Math.max(...losses.slice(0, 50), 1e-3);
  g.strokeStyle = getComputedStyle(document.body).getPropertyValue('--accent') || '#0072b2';
  g.lineWidth = 2;
  g.beginPath();
  losses.forEach((l, i) => {
    const x = (i / (losses.length - 1)) * (c.width - 10) + 5;
    const y = c.height - 5 - Math.min(1, l / max) * (c.height - 10);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

engine.on('progress', ({ report }) => {
  for (const b of report.batches) losses.push(b.loss);
  const last = report.batches.at(-1);
  if (last) state.lastLoss = last.loss;
  state.epoch = report.epoch;
  $('epoch').textContent = report.epoch;
  $('loss').textContent = state.lastLoss?.toFixed(4) ?? '–';
  if (!drawQueued) { drawQueued = true; requestAnimationFrame(draw); }
});
engine.on('state', ({ running }) => {
  state.running = running;
  $('start').disabled = running;
  $('stop').disabled = !running;
});
engine.on('error', ({ message }) => showError(message));

try {
  const info = await engine.ready;
  state.mode = info;
  $('mode').textContent = modeLabel(info);
  await engine.request('configure', { config: XOR });
  $('start').disabled = false;
} catch (err) {
  $('mode').textContent = 'not running';
  showError(err.message);
}

$('start').onclick = () => engine.send('run');
$('stop').onclick = () => engine.send('pause');
