// Progress of the run: epoch k/N, batch, samples/s, elapsed time and ETA.
// ETA = remaining samples ÷ samples/s of the current run (validation time not
// counted, so it is a slight underestimate on sets with a validation split).
// Below: the core's diagnosis of the run (diverged, at chance, plateau) as a warning.
import { h, group, setText } from './dom.js';

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * Batches done and left in the whole run, and the ETA in seconds.
 * epoch = completed epochs (0-based cursor), batchInEpoch = batches done in the current one.
 */
export function runProgress({ epoch, epochs, batchInEpoch, batchesPerEpoch, batchSize, samplesPerSec, trainSamples }) {
  const total = epochs * batchesPerEpoch;
  const done = Math.min(total, epoch * batchesPerEpoch + batchInEpoch);
  const left = total - done;
  // Samples left: whole epochs of trainSamples, minus what this epoch already did.
  const samplesLeft = trainSamples ? Math.max(0, (epochs - epoch) * trainSamples - batchInEpoch * batchSize) : left * batchSize;
  const eta = samplesPerSec > 0 ? samplesLeft / samplesPerSec : NaN;
  return { total, done, left, fraction: total ? done / total : 0, eta };
}

export function mountProgress(el) {
  const bar = h('progress', { id: 'run-bar', max: '1', value: '0', 'aria-label': 'training progress' });
  const epochOut = h('output', { id: 'epoch-text' }, '–');
  const batchOut = h('output', { id: 'batch-text' }, '–');
  const stepOut = h('output', { id: 'step-text' }, '–');
  const speed = h('output', { id: 'speed' }, '–');
  const elapsed = h('output', { id: 'elapsed' }, '–');
  const eta = h('output', { id: 'eta' }, '–');
  const threads = h('output', { id: 'threads-mode' }, '–');
  const item = (label, out) => h('div', { class: 'stat' }, h('span', { class: 'muted' }, label), out);
  const warning = h('p', { id: 'run-diagnosis', class: 'error', role: 'status', hidden: '' });
  el.append(bar, h('div', { class: 'stats' }, item('Epoch', epochOut), item('Batch', batchOut), item('Step', stepOut),
    item('Samples/s', speed), item('Elapsed', elapsed), item('ETA', eta), item('Threads', threads)), warning);
  return {
    render(s) {
      const epochs = s.config.epochs;
      const bpe = s.batchesPerEpoch || 0;
      const p = runProgress({ epoch: s.epoch, epochs, batchInEpoch: s.batchInEpoch, batchesPerEpoch: bpe,
        batchSize: s.config.batch_size, samplesPerSec: s.samplesPerSec, trainSamples: s.dataInfo?.train });
      if (Math.abs(bar.value - p.fraction) > 1e-4) bar.value = p.fraction;
      const shownEpoch = s.status === 'finished' ? s.epoch : Math.min(epochs, s.epoch + 1);
      setText(epochOut, s.hasSession ? `${shownEpoch}/${epochs}` : '–');
      setText(batchOut, bpe ? `${s.status === 'finished' ? bpe : s.batchInEpoch}/${bpe}` : '–');
      setText(stepOut, s.hasSession ? group(s.step) : '–');
      setText(speed, s.samplesPerSec ? group(s.samplesPerSec) : '–');
      setText(elapsed, s.elapsedMs ? formatDuration(s.elapsedMs / 1000) : '–');
      const d = s.hasSession ? s.diagnosis : null;
      if (warning.hidden !== !d) warning.hidden = !d;
      setText(warning, d ? `⚠ ${d.message}` : '');
      setText(threads, s.threads ?? '–');
      setText(eta, s.status === 'running' ? formatDuration(p.eta) : s.status === 'finished' ? 'done' : '–');
    },
  };
}
