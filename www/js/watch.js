// Live charts (loss with a log toggle; accuracy, or MAE for regression) and the
// Keras-style per-epoch history, fed by the worker's chunk reports. Training
// points are per batch (the chart smooths them), validation points per epoch.
// Epochs are shown 1-based, as Keras prints "Epoch 1/5".
import { h, fmt, group, setText } from './dom.js';
import { mountChart } from './components/chart.js';
import { MAIN } from './session.js';
import { momentumField } from './state.js';

const MAX_KEPT = 4000;   // per-batch points kept for saving (decimated)
const SHOWN_ROWS = 12;   // history rows rendered (the rest summarised)
const MAX_ROWS = 20000;  // epoch rows kept in memory (tiny data sets run thousands of epochs a second)

/** The metric the second chart shows: accuracy for classification, else mae / mse. */
export function chartMetric(config) {
  return ['accuracy', 'mae', 'mse'].find((m) => config.metrics.includes(m)) ?? null;
}

/** Every k-th point so that at most `max` remain (the last one always kept). */
export function decimate(points, max) {
  if (points.length <= max) return points.slice();
  const k = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % k === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points.at(-1));
  return out;
}

export function mountWatch({ lossEl, metricEl, historyEl }, session, store) {
  const loss = mountChart(lossEl, { title: 'Loss', yLabel: 'loss', logToggle: true });
  let metricChart = null;
  let metric = null;
  let points = { loss: { train: [], val: [] }, metric: { train: [], val: [] } };
  let rows = [];
  let dropped = 0;        // epoch rows no longer kept
  let lastLr = null;
  let lastMomentum = null;

  /** A vertical marker on both charts (a live change). */
  function mark(x, label) {
    loss.addMarker({ x, label });
    metricChart?.addMarker({ x, label });
  }

  function setupMetric() {
    const m = chartMetric(store.get().config);
    if (m === metric && metricChart) return;
    metric = m;
    metricChart?.destroy();
    metricEl.replaceChildren();
    metricChart = m ? mountChart(metricEl, { title: m === 'accuracy' ? 'Accuracy' : m.toUpperCase(), yLabel: m,
      percent: m === 'accuracy', logToggle: m !== 'accuracy' }) : null;
    metricEl.hidden = !m;
  }

  function clear() {
    loss.clear();
    setupMetric();
    metricChart?.clear();
    points = { loss: { train: [], val: [] }, metric: { train: [], val: [] } };
    rows = [];
    dropped = 0;
    lastLr = null;
    const m = momentumField(store.get().config.optimizer.name);
    lastMomentum = m ? store.get().config.optimizer[m] : null;
    renderHistory();
  }

  function add(target, series, pts) {
    if (!pts.length) return;
    (target === 'loss' ? loss : metricChart)?.addPoints(series, pts);
    const kept = points[target][series];
    for (const p of pts) kept.push(p);
    if (kept.length > 2 * MAX_KEPT) points[target][series] = decimate(kept, MAX_KEPT);
  }

  function onReport(r) {
    const lossPts = [];
    const metricPts = [];
    for (const b of r.batches) {
      const p = { x: b.step, y: b.loss, epoch: b.epoch + 1 };
      if (lastLr !== null && b.lr !== lastLr) {
        p.label = `learning rate ${fmt(lastLr)} → ${fmt(b.lr)}`;
        mark(b.step, `lr ${fmt(lastLr)} → ${fmt(b.lr)}`);
      }
      lastLr = b.lr;
      lossPts.push(p);
      if (metric && b.metrics?.[metric] !== undefined) metricPts.push({ x: b.step, y: b.metrics[metric], epoch: b.epoch + 1 });
    }
    add('loss', 'train', lossPts);
    add('metric', 'train', metricPts);
    const endStep = new Map();   // epoch → step of its last batch in this report
    for (const b of r.batches) endStep.set(b.epoch, b.step);
    for (const e of r.epochs) {
      const x = endStep.get(e.epoch) ?? r.step;
      if (e.logs.val_loss !== undefined) add('loss', 'val', [{ x, y: e.logs.val_loss, epoch: e.epoch + 1 }]);
      const vm = e.logs[`val_${metric}`];
      if (metric && vm !== undefined) add('metric', 'val', [{ x, y: vm, epoch: e.epoch + 1 }]);
      rows.push({ epoch: e.epoch, logs: e.logs });
    }
    if (rows.length > MAX_ROWS) { dropped += rows.length - MAX_ROWS / 2; rows = rows.slice(-MAX_ROWS / 2); }
    if (r.epochs.length) scheduleHistory();
  }

  let historyQueued = false;
  function scheduleHistory() {
    if (historyQueued) return;
    historyQueued = true;
    requestAnimationFrame(() => { historyQueued = false; renderHistory(); });
  }

  /** Rebuild from a loaded model: saved per-batch points if any, else the per-epoch history. */
  function restore({ history, saved }) {
    clear();
    if (saved?.loss) {
      for (const t of ['loss', 'metric']) for (const s of ['train', 'val']) add(t, s, saved[t]?.[s] ?? []);
    } else if (history) {
      const bpe = store.get().batchesPerEpoch || 1;
      history.epoch.forEach((ep, i) => {
        const x = (ep + 1) * bpe;
        const v = (k) => history.history[k]?.[i];
        add('loss', 'train', [{ x, y: v('loss'), epoch: ep + 1 }]);
        if (v('val_loss') !== undefined) add('loss', 'val', [{ x, y: v('val_loss'), epoch: ep + 1 }]);
        if (metric && v(metric) !== undefined) add('metric', 'train', [{ x, y: v(metric), epoch: ep + 1 }]);
        if (metric && v(`val_${metric}`) !== undefined) add('metric', 'val', [{ x, y: v(`val_${metric}`), epoch: ep + 1 }]);
      });
    }
    if (history) {
      rows = history.epoch.map((ep, i) => ({ epoch: ep,
        logs: Object.fromEntries(Object.entries(history.history).map(([k, vals]) => [k, vals[i]])) }));
    }
    renderHistory();
  }

  // The table on screen: its keys and epoch count (another → rebuilt), its <tbody>, and how many
  // epoch rows (kept + dropped) it has shown, so that an epoch end appends its row and drops the
  // oldest instead of rebuilding the table (issue 14.5).
  let shownSig = null;
  let shownTotal = 0;
  let tbody = null;
  let more = null;
  const cell = (k, v) => (k.endsWith('accuracy') ? `${(v * 100).toFixed(2)}%` : fmt(v, 5));
  const rowOf = (r, keys, epochs) => h('tr', {}, h('th', { scope: 'row' }, `${r.epoch + 1}/${epochs}`),
    keys.map((k) => h('td', { class: 'num', dataset: { key: k } }, r.logs[k] === undefined ? '–' : cell(k, r.logs[k]))));

  function renderHistory() {
    const epochs = store.get().config.epochs;
    const total = rows.length + dropped;
    if (!rows.length) {
      shownSig = null;
      historyEl.replaceChildren(h('p', { class: 'muted' }, 'No epoch finished yet.'));
      return;
    }
    const shown = rows.slice(-SHOWN_ROWS);
    const keys = [...new Set(shown.flatMap((r) => Object.keys(r.logs)))]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const sig = `${epochs}|${keys.join()}`;
    const fresh = total - shownTotal;
    if (sig === shownSig && fresh >= 0 && fresh <= shown.length) {
      for (const r of shown.slice(shown.length - fresh)) tbody.append(rowOf(r, keys, epochs));
      while (tbody.childElementCount > shown.length) tbody.firstElementChild.remove();
    } else {
      more = h('p', { class: 'muted' });
      tbody = h('tbody', {}, shown.map((r) => rowOf(r, keys, epochs)));
      historyEl.replaceChildren(h('div', {}, more,
        h('div', { class: 'scroll-x' }, h('table', { class: 'history', id: 'history-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Epoch'), keys.map((k) => h('th', { scope: 'col', class: 'num' }, k)))),
          tbody))));
    }
    shownSig = sig;
    shownTotal = total;
    more.hidden = total <= shown.length;
    setText(more, more.hidden ? '' : `${group(total - shown.length)} earlier epochs not shown`);
  }
  const rank = (k) => ['loss', 'accuracy', 'mae', 'mse', 'val_loss', 'val_accuracy', 'val_mae', 'val_mse', 'lr'].indexOf(k) >>> 0;

  session.on('configured', clear);
  session.on('reset', clear);
  session.on('progress', onReport);
  // Momentum is not in the batch logs: mark its live change where the next batch starts.
  session.on('run-set', ({ run, momentum }) => {
    if (run !== MAIN || momentum === null || momentum === undefined || lastMomentum === null) return;
    if (Math.abs(momentum - lastMomentum) > 1e-6 * Math.max(1, Math.abs(momentum))) mark(store.get().step + 1, `momentum ${fmt(lastMomentum)} → ${fmt(momentum)}`);
    lastMomentum = momentum;
  });
  clear();

  return {
    restore,
    /** Per-batch points for saving with the model (decimated). */
    snapshot: () => Object.fromEntries(Object.entries(points).map(([t, ss]) => [t,
      Object.fromEntries(Object.entries(ss).map(([s, p]) => [s, decimate(p, MAX_KEPT)]))])),
    setLog: (on) => loss.setLog(on),
    charts: () => ({ loss, metric: metricChart }),
    history: () => rows,
  };
}
