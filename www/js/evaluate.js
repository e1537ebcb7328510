// Test-set evaluation (Keras `model.evaluate` on the held-out test set): test
// accuracy (or MAE / MSE for regression), the confusion matrix and a gallery
// of misclassified test images with the model's confidence in its wrong answer.
// Runs when training stops or finishes, after a restore, on demand, and —
// throttled — at epoch ends while training.
import { h, fmt, pct, group, say } from './dom.js';
import { mountConfusion } from './components/confusion.js';
import { mountGallery } from './components/gallery.js';

const GALLERY_MAX = 24;
const DURING_RUN_EVERY_MS = 3000;

/** Indices (in test order) where the predicted class differs from the label. */
export function misclassified(predicted, labels, max = Infinity) {
  const out = [];
  for (let i = 0; i < predicted.length && out.length < max; i += 1) {
    if (predicted[i] !== labels[i]) out.push(i);
  }
  return out;
}

export function mountEvaluate({ button, resultEl, errorEl, confusionEl, galleryEl }, session, store, engine) {
  const confusion = mountConfusion(confusionEl);
  const gallery = mountGallery(galleryEl, { title: 'Misclassified test images' });
  let labelsCache = { key: null, labels: null };
  let lastRun = 0;
  let busy = null;
  let again = false;
  let generation = 0;   // bumps when the model is rebuilt: late answers are dropped

  function clear() {
    generation += 1;
    resultEl.textContent = '';
    say(errorEl, '');
    confusionEl.hidden = true;
    galleryEl.hidden = true;
    gallery.clear?.();
    store.set({ testResult: null });
  }

  async function testLabels(n) {
    const key = `${session.key}`;
    if (labelsCache.key === key && labelsCache.labels?.length === n) return labelsCache.labels;
    const all = await engine.request('samples', { split: 'test', indices: Array.from({ length: n }, (_, i) => i) });
    labelsCache = { key, labels: Array.from(all.labels) };
    return labelsCache.labels;
  }

  async function galleryItems(mis, info) {
    const s = await engine.request('samples', { split: 'test', indices: mis });
    const [hgt, wid] = info.sampleShape;
    const per = hgt * wid;
    const input = Float32Array.from(s.x, (v) => v / 255);   // the dataset's own scaling of u8 images
    const { output } = await engine.request('predict', { input });
    const k = output.length / mis.length;
    return mis.map((_, j) => {
      const probs = output.slice(j * k, (j + 1) * k);
      let pred = 0;
      for (let c = 1; c < k; c += 1) if (probs[c] > probs[pred]) pred = c;
      // Class names where the dataset has them (Fashion-MNIST's "Coat", "Shirt", …), else the class index.
      const name = (k) => (info.classNames?.length ? info.classNames[k] ?? k : k);
      return { pixels: s.x.slice(j * per, (j + 1) * per), h: hgt, w: wid, pred: name(pred), truth: name(s.labels[j]),
        confidence: probs[pred] };
    });
  }

  async function evaluate() {
    const gen = generation;
    const s = store.get();
    const ev = await engine.request('evaluate');
    if (gen !== generation) return;
    if (ev.loss === undefined) { resultEl.textContent = 'This dataset has no test set.'; return; }
    const during = store.get().status === 'running';
    const where = `on ${group(ev.samples)} test samples${during ? `, during epoch ${s.epoch + 1}` : ''}`;
    const m = ev.metrics ?? {};
    if (m.accuracy !== undefined) {
      resultEl.replaceChildren('Test accuracy ', h('strong', { id: 'test-accuracy' }, pct(m.accuracy, 2)),
        h('span', { class: 'muted' }, ` · loss ${fmt(ev.loss)} · ${where}`));
    } else {
      const parts = Object.entries(m).map(([k, v]) => `${k.toUpperCase()} ${fmt(v)}`);
      resultEl.replaceChildren('Test ', h('strong', { id: 'test-accuracy' }, parts.join(' · ') || `loss ${fmt(ev.loss)}`),
        h('span', { class: 'muted' }, ` · loss ${fmt(ev.loss)} · ${where}`));
    }
    store.set({ testResult: { loss: ev.loss, metrics: m, samples: ev.samples } });
    const info = s.dataInfo;
    if (!ev.confusion || !info) { confusionEl.hidden = true; galleryEl.hidden = true; return; }
    const labels = info.classNames?.length ? info.classNames : Array.from({ length: ev.confusion.n }, (_, i) => String(i));
    confusion.update({ n: ev.confusion.n, counts: ev.confusion.counts, labels });
    confusionEl.hidden = false;
    if (info.sampleShape.length !== 3) { galleryEl.hidden = true; return; }
    const truth = await testLabels(ev.predicted.length);
    const mis = misclassified(ev.predicted, truth, GALLERY_MAX);
    const items = mis.length ? await galleryItems(mis, info) : [];
    if (gen !== generation) return;
    gallery.update(items);
    galleryEl.hidden = false;
  }

  /** One evaluation at a time; a request while one runs queues exactly one more. */
  async function run() {
    if (!store.get().hasSession) return;
    if (busy) { again = true; return busy; }
    lastRun = performance.now();
    busy = evaluate().catch((e) => say(errorEl, `Evaluation failed: ${e.message}`)).finally(() => { busy = null; });
    await busy;
    if (again) { again = false; await run(); }
  }

  button.addEventListener('click', () => run());
  session.on('configured', clear);
  session.on('reset', clear);
  session.on('stopped', run);
  session.on('finished', run);
  session.on('loaded', run);
  session.on('progress', (r) => {
    if (r.epochs.length && !r.finished && performance.now() - lastRun > DURING_RUN_EVERY_MS) run();
  });
  clear();
  return {
    run,
    get busy() { return Boolean(busy); },
    render(st) { button.disabled = !st.hasSession || Boolean(st.busy) || st.step === 0; },
  };
}
