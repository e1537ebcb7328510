// Draw a digit: the drawpad's MNIST-preprocessed 28×28 input goes to the
// worker's `predict` on every change (also while training). At most one
// prediction is in flight; a newer drawing replaces a queued one, so stale
// requests are dropped and the bars always end on the latest drawing. The
// bars are re-predicted when the model changes (epoch end, reset, load).
import { say, setText } from './dom.js';
import { isDigits } from './state.js';
import { mountDrawpad } from './components/drawpad.js';
import { mountProbabilities } from './components/probabilities.js';

/** The model's outputs as probabilities: as-is if they already are, else softmax (noted). */
export function asProbabilities(out) {
  const sum = out.reduce((a, b) => a + b, 0);
  if (out.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3) return { probs: Float32Array.from(out), softmaxed: false };
  const max = Math.max(...out);
  const e = out.map((v) => Math.exp(v - max));
  const z = e.reduce((a, b) => a + b, 0);
  return { probs: Float32Array.from(e, (v) => v / z), softmaxed: true };
}

export function mountDraw({ padEl, probsEl, noteEl, areaEl, errorEl }, session, store, engine) {
  const probs = mountProbabilities(probsEl, { labels: Array.from({ length: 10 }, (_, i) => String(i)) });
  let latest = null;     // pixels of the latest drawing (null = empty)
  let inFlight = false;
  let queued = false;
  let enabled = false;
  const api = { requests: 0, answered: 0, last: null, lastInput: null };

  async function predict() {
    if (!enabled || !latest) return;
    if (inFlight) { queued = true; return; }
    inFlight = true;
    const input = latest;
    api.requests += 1;
    try {
      const { output } = await engine.request('predict', { input });
      if (input === latest && enabled) {
        const { probs: p, softmaxed } = asProbabilities(Array.from(output));
        if (p.length === 10) probs.update(p);
        api.last = Array.from(p);
        api.lastInput = input;
        say(errorEl, softmaxed ? 'The model does not end with softmax: the bars show the softmax of its outputs.' : '', 'note');
      }
      api.answered += 1;
    } catch (e) {
      say(errorEl, `Prediction failed: ${e.message}`);
    } finally {
      inFlight = false;
      if (queued) { queued = false; predict(); }
    }
  }

  const pad = mountDrawpad(padEl, {
    onChange(r) {
      if (r.empty) { latest = null; api.last = null; probs.clear(); return; }
      latest = r.pixels;
      predict();
    },
  });

  let repredictTimer = null;
  const repredict = () => {
    if (repredictTimer) return;
    repredictTimer = setTimeout(() => { repredictTimer = null; if (latest) predict(); }, 300);
  };
  session.on('progress', (r) => { if (r.epochs.length || store.get().status !== 'running') repredict(); });
  for (const ev of ['reset', 'loaded', 'configured', 'finished', 'stopped', 'paused']) session.on(ev, repredict);

  return Object.assign(api, {
    pad,
    render(s) {
      const mnist = isDigits(s.config.dataset);
      const ready = mnist && s.hasSession && s.dataInfo?.sampleShape?.[0] === 28 && s.summary?.rows.at(-1)?.output_dims?.[0] === 10;
      if (ready !== enabled) {
        enabled = ready;
        if (enabled) repredict();
      }
      areaEl.classList.toggle('disabled', !ready);
      setText(noteEl, !mnist
        ? 'Drawing works with models of 28×28 handwritten digits (MNIST): choose such a dataset under Data.'
        : !s.hasSession ? (s.buildError ? `There is no model to read a drawing: ${s.buildError}` : 'The model is being built…')
          : !ready ? 'The model needs 10 outputs (one per digit) to read a drawing.'
          : s.step === 0 ? 'Draw a digit: the model is untrained, so expect guesses until you train it.'
            : 'Draw a digit with the mouse, a pen or a finger. The bars update as you draw.');
    },
  });
}
