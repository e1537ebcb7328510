// The "Race" section: up to six runs over the experiment on screen (same data,
// initial weights and batch order), trained round-robin in lock-step by the
// worker. Quick variations or one run at a time ("optimizer:sgd(momentum=0.9)");
// Start / Pause all, Step ×1 / ×10 / one epoch, a steps-per-second control;
// loss and metric of every run overlaid (colour + dash per run, legend naming
// the difference, live changes marked); a sortable results table
// (race-table.js); the race in the URL (?race=…) and in IndexedDB; a CSV of
// every run's per-epoch history. State and link form: race.js; the form is
// parsed and applied by the core: its requests are race-core.js's.
import { group, h, say } from './dom.js';
import { mountChart } from './components/chart.js';
import { encodeRace, resultsCsv, RUN_STYLES, runLabels, VARIATIONS } from './race.js';
import { addRun as coreAddRun, applyRuns, parseRace } from './race-core.js';
import { sharedEngine } from './engine.js';
import { mountRaceTable } from './race-table.js';
import { chartMetric } from './watch.js';
import { runStatus } from './runstatus.js';
import { configKey } from './state.js';
import { limits } from './schema.js';
import { speedSelect } from './controls.js';
import { mountRaceAdd } from './race-add.js';
import { mountClassroom } from './classroom.js';

export function mountRace(el, { session, store, getKv, engine = sharedEngine() }) {
  let race = null;        // {base, runs: [{id, patch, label, style}]}
  let nextId = 1;
  const extra = new Map();  // id → {bestValLoss, valMetric, test}
  const err = h('p', { class: 'error', role: 'alert', hidden: true, id: 'race-error' });
  const note = h('p', { class: 'muted', id: 'race-note', 'aria-live': 'polite' });
  const quick = Object.entries(VARIATIONS).map(([k, v]) => h('button', { type: 'button', class: 'secondary',
    id: `race-${k}`, onclick: () => guard(() => setRace(v.runs(store.get().config))) }, v.title));
  const add = mountRaceAdd({ store, onAdd: (text) => guard(() => addRun(text)) });
  const btn = (id, text, fn, cls = 'secondary') => h('button', { type: 'button', class: cls, id, onclick: fn }, text);
  const startBtn = btn('race-start', 'Start all', () => session.runs.start(ids()), 'primary');
  const pauseBtn = btn('race-pause', 'Pause all', () => session.runs.pause(ids()));
  const step1 = btn('race-step1', 'Step ×1', () => session.runs.step(ids(), 1));
  const step10 = btn('race-step10', 'Step ×10', () => session.runs.step(ids(), 10));
  const stepEpoch = btn('race-step-epoch', 'One epoch', () => session.runs.step(ids(),
    Math.max(...ids().map((id) => session.runs.get(id)?.batchesPerEpoch || 1))));
  const speed = speedSelect('race-speed', (v) => session.runs.speed(v).catch((e) => say(err, e.message)));
  const csvBtn = btn('race-csv', 'Download results (CSV)', () => guard(downloadCsv));
  const clearBtn = btn('race-clear', 'End race', () => guard(() => setRace([])), 'ghost');
  const classroom = mountClassroom(document.getElementById('classroom-toggle'));

  // The race keeps the experiment it was made from; when the one on screen changes, offer to rebuild it
  // (the link holds the experiment on screen, so it reproduces the race only once rebuilt).
  const rebase = h('p', { class: 'note', id: 'race-rebase', hidden: true }, 'The experiment above changed since this race was made. ',
    h('button', { type: 'button', class: 'secondary', id: 'race-rebuild', onclick: () => guard(() =>
      setRace(race.runs.map((r) => r.patch), store.get().config)) }, 'Rebuild the race from it'));

  const charts = h('div', { class: 'charts race-charts' });
  const lossBox = h('div', { class: 'chart-box', id: 'race-chart-loss' });
  const metricBox = h('div', { class: 'chart-box', id: 'race-chart-metric' });
  charts.append(lossBox, metricBox);
  const loss = mountChart(lossBox, { title: 'Loss, every run', yLabel: 'loss', logToggle: true });
  let metric = null;
  let metricName = null;
  const table = mountRaceTable(h('div', { id: 'race-results' }), { session, extra,
    onRemove: (id) => guard(() => removeRun(id)), onStop: (id) => session.runs.stop(id) });
  const body = h('div', { id: 'race-body', hidden: true },
    h('div', { class: 'row wrap buttons', role: 'group', 'aria-label': 'race controls' },
      startBtn, pauseBtn, step1, step10, stepEpoch, h('label', { class: 'field inline' }, 'Speed ', speed)),
    charts, table.element, h('div', { class: 'row wrap race-setup' }, csvBtn, clearBtn));
  el.append(h('div', { class: 'row wrap race-setup', role: 'group', 'aria-label': 'compare' }, h('strong', {}, 'Compare:'), ...quick),
    h('div', { class: 'row wrap race-setup' }, ...add), err, note, rebase, body);

  const ids = () => race?.runs.map((r) => r.id) ?? [];
  // configKey of a config object, kept per object (configs are replaced, never changed in place): the
  // render runs every frame while the race trains.
  const keys = new WeakMap();
  const keyOf = (c) => {
    if (!keys.has(c)) keys.set(c, configKey(c));
    return keys.get(c);
  };
  // Changes to the race run one at a time, in the order they were asked for.
  let queue = Promise.resolve();
  const guard = (fn) => {
    say(err, '');
    queue = queue.then(fn).catch((e) => say(err, e.message));
    return queue;
  };

  let charted = [];        // series names of the previous race
  /** (Re)declares run `r`'s series on both charts, empty. */
  function seriesFor(r) {
    for (const c of [loss, metric].filter(Boolean)) {
      c.removeSeries(r.id);
      c.removeSeries(`${r.id}:val`);
      c.setSeries(r.id, { label: r.label, color: r.style.color, dash: r.style.dash ?? false, smooth: 0.6 });
      c.setSeries(`${r.id}:val`, { label: `${r.label} (validation)`, color: r.style.color, markers: true, legend: false });
    }
  }

  function setupCharts() {
    for (const n of charted) loss.removeSeries(n);
    loss.clear();
    const m = race ? chartMetric(race.base) : null;
    if (m !== metricName || !metric) {
      metric?.destroy();
      metricName = m;
      metric = m ? mountChart(metricBox, { title: `${m === 'accuracy' ? 'Accuracy' : m.toUpperCase()}, every run`, yLabel: m,
        percent: m === 'accuracy' }) : null;
    }
    for (const n of charted) metric?.removeSeries(n);
    metric?.clear();
    charted = (race?.runs ?? []).flatMap((r) => [r.id, `${r.id}:val`]);
    for (const c of [loss, metric].filter(Boolean)) {
      c.setSeries('train', { legend: false });
      c.setSeries('val', { legend: false });
    }
    for (const r of race?.runs ?? []) seriesFor(r);
  }

  async function persist() {
    const q = new URLSearchParams(location.search);
    if (race?.runs.length) q.set('race', encodeRace({ runs: race.runs.map((r) => r.patch) })); else q.delete('race');
    const search = [...q.entries()].map(([k, v]) => (v ? `${k}=${v.replace(/[&#%\s]/g, encodeURIComponent)}` : k)).join('&');
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    await getKv()?.put('race', race ? { base: race.base, runs: race.runs.map((r) => r.patch) } : null).catch(() => {});
  }

  /**
   * Replaces the race with runs for `patches` over `base` (default: the experiment on screen); `configs`,
   * when the core already applied them (addRun), else the core applies them here.
   */
  async function setRace(patches, base = store.get().config, configs = null) {
    configs ??= await applyRuns(engine, base, patches);    // throws before anything changes (the core counts the runs too)
    for (const id of ids()) await session.runs.remove(id);
    extra.clear();
    const labels = runLabels(patches);
    race = patches.length ? { base, runs: patches.map((patch, i) => ({ id: `r${nextId++}`, patch, label: labels[i],
      style: RUN_STYLES[i] })) } : null;
    setupCharts();
    table.setRuns(race?.runs ?? [], metricName);
    body.hidden = !race;
    await persist();
    say(note, race ? `Building ${race.runs.length} runs on ${base.dataset} (seed ${base.seed}: same initial weights and batches)…` : '', 'note');
    const results = await Promise.allSettled(race?.runs.map((r, i) => session.runs.create(r.id, configs[i], r.label)) ?? []);
    const failed = results.filter((x) => x.status === 'rejected').length;
    say(note, race ? `${race.runs.length} runs ready${failed ? ` (${failed} could not be built: see the table)` : ''}. `
      + 'They share the data, the initial weights and the batch order.' : '', 'note');
  }

  /**
   * Adds one run to the race WITHOUT rebuilding it (issue 9): the other runs keep their weights and steps.
   * The new run is built from the same seed (same initial weights and batch order) and starts at step 0;
   * the note says how far behind it starts. It runs if the others are running.
   */
  async function addRun(text) {
    const max = limits().max_runs;
    if (race && race.runs.length >= max) throw new Error(`a race has at most ${max} runs: remove one first`);
    // One request: the core parses the text once and applies it (throws before anything changes).
    const base = race?.base ?? store.get().config;
    const { patch, config } = await coreAddRun(engine, base, text, (race?.runs.length ?? 0) + 1);
    if (!race) { await setRace([patch], base, [config]); return; }
    const used = new Set(race.runs.map((r) => r.style));
    const r = { id: `r${nextId++}`, patch, label: '', style: RUN_STYLES.find((st) => !used.has(st)) ?? RUN_STYLES[0] };
    race.runs.push(r);
    relabel();
    charted.push(r.id, `${r.id}:val`);
    seriesFor(r);
    table.setRuns(race.runs, metricName);
    await persist();
    const others = race.runs.filter((x) => x !== r).map((x) => session.runs.get(x.id)).filter(Boolean);
    const lead = Math.max(0, ...others.map((x) => x.step ?? 0));
    const running = others.some((x) => x.running);
    try {
      await session.runs.create(r.id, config, r.label);
    } catch (e) {
      say(note, `Run ${r.label} could not be built: ${e.message}`, 'note');
      return;
    }
    if (running) session.runs.start([r.id]);
    say(note, `Added ${r.label}: same initial weights and batch order, starting at step 0`
      + (lead > 0 ? ` while the other runs are at step ${group(lead)} (they were not restarted; compare it at equal steps on the chart).` : '.'), 'note');
  }

  /** Legend labels after runs came or went: only the text changes, never the curves. */
  function relabel() {
    const labels = runLabels(race.runs.map((x) => x.patch));
    race.runs.forEach((x, i) => {
      x.label = labels[i];
      session.runs.relabel(x.id, x.label);
      for (const c of [loss, metric].filter(Boolean)) {
        c.setSeries(x.id, { label: x.label });
        c.setSeries(`${x.id}:val`, { label: `${x.label} (validation)` });
      }
    });
  }

  /** Removes one run; the others keep training where they are (no rebuild). */
  async function removeRun(id) {
    if (race.runs.length <= 1) { await setRace([], race.base); return; }
    race.runs = race.runs.filter((r) => r.id !== id);
    for (const c of [loss, metric].filter(Boolean)) { c.removeSeries(id); c.removeSeries(`${id}:val`); }
    charted = charted.filter((n) => n !== id && n !== `${id}:val`);
    extra.delete(id);
    relabel();
    table.setRuns(race.runs, metricName);
    await persist();
    await session.runs.remove(id);
  }

  async function downloadCsv() {
    const runs = [];
    for (const [i, r] of (race?.runs ?? []).entries()) {
      const history = await session.runs.history(r.id).catch(() => null);
      runs.push({ index: i + 1, label: r.label, history });
    }
    const blob = new Blob([resultsCsv(runs)], { type: 'text/csv' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `gradlab-race-${race?.base.dataset ?? 'empty'}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
  }

  // Live data from the worker, for the race's runs only.
  session.on('run-progress', ({ run, report }) => {
    const r = race?.runs.find((x) => x.id === run);
    if (!r) return;
    const mk = metricName;
    loss.addPoints(run, report.batches.map((b) => ({ x: b.step, y: b.loss, epoch: b.epoch + 1 })));
    if (metric && mk) metric.addPoints(run, report.batches.filter((b) => b.metrics?.[mk] !== undefined)
      .map((b) => ({ x: b.step, y: b.metrics[mk], epoch: b.epoch + 1 })));
    const x = extra.get(run) ?? {};
    for (const e of report.epochs) {
      const at = { x: report.batches.findLast((b) => b.epoch === e.epoch)?.step ?? report.step, epoch: e.epoch + 1 };
      if (e.logs.val_loss !== undefined) {
        loss.addPoints(`${run}:val`, [{ ...at, y: e.logs.val_loss }]);
        x.bestValLoss = Math.min(x.bestValLoss ?? Infinity, e.logs.val_loss);
      }
      if (mk && e.logs[`val_${mk}`] !== undefined) { metric?.addPoints(`${run}:val`, [{ ...at, y: e.logs[`val_${mk}`] }]); x.valMetric = e.logs[`val_${mk}`]; }
      if (mk && e.logs[mk] !== undefined) x.metric = e.logs[mk];
    }
    extra.set(run, x);
    if (report.finished) evaluate(run);
  });
  // A run rebuilt (after an engine restart) starts its curves again.
  session.on('run-configured', ({ run }) => {
    const r = race?.runs.find((x) => x.id === run);
    if (r && loss.pointCount(run) > 0) { seriesFor(r); extra.delete(run); }
  });
  session.on('run-set', ({ run, learning_rate, momentum }) => {
    const r = race?.runs.find((x) => x.id === run);
    if (!r) return;
    const rec = session.runs.get(run);
    const m = momentum !== null && momentum !== undefined ? `, momentum → ${Number(momentum.toPrecision(4))}` : '';
    const label = `${r.label}: lr → ${Number(learning_rate.toPrecision(4))}${m}`;
    for (const c of [loss, metric].filter(Boolean)) c.addMarker({ x: rec.step + 1, label, color: r.style.color });
  });
  session.on('run-state', ({ run }) => {
    const rec = session.runs.get(run);
    if (race?.runs.some((x) => x.id === run) && rec && runStatus(rec) === 'stopped') evaluate(run);
  });

  async function evaluate(id) {
    try {
      const ev = await session.runs.evaluate(id);
      const x = extra.get(id) ?? {};
      x.test = ev.metrics?.[metricName] ?? ev.loss;
      extra.set(id, x);
    } catch { /* a run removed meanwhile */ }
  }

  return {
    /** At boot: the race from the link (?race=…), else the last race kept in this browser. */
    async restore() {
      const q = new URLSearchParams(location.search);
      classroom.restore();
      if (q.get('race')) {
        try { await setRace(await parseRace(engine, q.get('race'))); } catch (e) {
          say(err, `This link's race could not be read: ${e.message}.`);
        }
        return;
      }
      const saved = await getKv()?.get('race').catch(() => null);
      if (saved?.runs?.length) {
        await setRace(saved.runs, saved.base).catch((e) => say(err, `The last race could not be restored: ${e.message}.`));
        say(note, `Restored your last race (${saved.runs.length} runs) with fresh weights: press Start all to run it again.`, 'note');
      }
    },
    render(s) {
      if (document.activeElement !== speed && speed.value !== String(s.speed ?? 0)) speed.value = String(s.speed ?? 0);
      const moved = Boolean(race) && s.status !== 'booting' && keyOf(race.base) !== keyOf(s.config);
      if (rebase.hidden !== !moved) rebase.hidden = !moved;
      if (!race) return;
      const st = race.runs.map((r) => s.runs.find((x) => x.id === r.id)).filter(Boolean).map(runStatus);
      startBtn.disabled = !st.some((x) => ['idle', 'paused', 'stopped'].includes(x));
      pauseBtn.disabled = !st.includes('running');
      step1.disabled = step10.disabled = stepEpoch.disabled = startBtn.disabled;
      table.render(s);
    },
    /** Start if nothing runs, else pause (the classroom shortcut). */
    toggle() {
      if (!race) return false;
      const running = ids().some((id) => session.runs.get(id)?.running);
      if (running) session.runs.pause(ids()); else session.runs.start(ids());
      return true;
    },
    charts: () => ({ loss, metric }),
    get race() { return race; },
  };
}
