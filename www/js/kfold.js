// The "Cross-validation" panel (issue 10.4): K folds × N configurations — the
// experiment on screen, or every run of the race — trained in the worker
// (worker-kfold.js) over one copy of the data; a box plot of the fold scores
// per configuration (min, quartiles, median, max, and each fold's point),
// mean ± std and a table. The statistics are the core's (`stats::summary`, the
// worker sends them with every fold's score): this panel only shows them. The folds come from the seed: a re-run gives the same
// numbers. `?kfold=K` in the link sets K (a lesson uses it).
import { h, say, setText } from './dom.js';
import { mountBoxPlot } from './components/boxplot.js';
import { encodeRace, RUN_STYLES } from './race.js';
import { applyRuns } from './race-core.js';
import { activeLesson, bookPercent } from './lessons.js';

const pctOrNum = (v, percent) => (v === null || v === undefined || !Number.isFinite(v) ? '–'
  : percent ? `${(v * 100).toFixed(2)}%` : String(Number(v.toPrecision(4))));

function setSearch(key, value) {
  const q = new URLSearchParams(location.search);
  if (value === null) q.delete(key); else q.set(key, value);
  const search = [...q.entries()].map(([k, v]) => (v ? `${k}=${v.replace(/[&#%\s]/g, encodeURIComponent)}` : k)).join('&');
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

export function mountKfold(el, { engine, store, race }) {
  const fromLink = Number(new URLSearchParams(location.search).get('kfold'));
  const kInput = h('input', { id: 'kfold-k', type: 'number', min: '2', max: '10', step: '1',
    value: String(Number.isInteger(fromLink) && fromLink >= 2 && fromLink <= 10 ? fromLink : 5) });
  const what = h('select', { id: 'kfold-what', onchange: () => { what.dataset.touched = '1'; } }, h('option', { value: 'experiment' }, 'the experiment above'),
    h('option', { value: 'race' }, 'every run of the race'));
  const epochs = h('input', { id: 'kfold-epochs', type: 'number', min: '1', step: '1', placeholder: 'as set',
    'aria-label': 'epochs per fold (empty: the experiment’s)' });
  const runBtn = h('button', { type: 'button', class: 'primary', id: 'kfold-run' }, 'Run k-fold');
  const stopBtn = h('button', { type: 'button', class: 'secondary', id: 'kfold-stop', disabled: true }, 'Stop');
  const bar = h('progress', { id: 'kfold-bar', max: '1', value: '0', 'aria-label': 'k-fold progress', hidden: true });
  const status = h('p', { id: 'kfold-status', class: 'muted', 'aria-live': 'polite' });
  const err = h('p', { id: 'kfold-error', class: 'error', role: 'alert', hidden: true });
  const boxHost = h('div', { id: 'kfold-box', class: 'kfold-box' });
  const table = h('table', { id: 'kfold-table', class: 'race-table' });
  el.append(
    h('div', { class: 'row wrap' }, h('label', { class: 'field inline' }, 'K ', kInput),
      h('label', { class: 'field inline' }, 'Configurations: ', what),
      h('label', { class: 'field inline' }, 'Epochs ', epochs), runBtn, stopBtn),
    bar, status, err, boxHost, h('div', { class: 'scroll-x' }, table));
  const box = mountBoxPlot(boxHost, { label: 'validation score of every fold, per configuration', percent: true });

  let job = null;        // {id, labels, k, results: [[score…]…], summaries: [core summary…], percent, done}
  let nextJob = 1;

  const useRace = () => what.value === 'race' && race.race?.runs.length;
  // The race's configs are the core's (config::patch, through race-core.js): the page patches none itself.
  async function configsNow() {
    const n = Number(epochs.value);
    const withEpochs = (c) => (epochs.value.trim() && Number.isInteger(n) && n >= 1 ? { ...c, epochs: n } : c);
    if (useRace()) {
      const r = race.race;
      const labels = r.runs.map((x) => x.label);
      const configs = await applyRuns(engine, r.base, r.runs.map((x) => x.patch));
      return { configs: configs.map(withEpochs), labels };
    }
    return { configs: [withEpochs(store.get().config)], labels: ['this experiment'] };
  }

  function draw() {
    if (!job) { box.update([]); table.replaceChildren(); return; }
    const lesson = activeLesson();
    const ownRace = useRace() && encodeRace({ runs: race.race.runs.map((r) => r.patch) }) === lesson?.race;
    const books = lesson?.kfold && ownRace && Array.isArray(lesson.book) ? lesson.book : null;
    box.update(job.labels.map((label, i) => ({ label, values: job.results[i].filter((v) => v !== undefined),
      stats: job.summaries[i] ?? null, color: RUN_STYLES[i % RUN_STYLES.length].color })));
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Configuration'),
      ...Array.from({ length: job.k }, (_, f) => h('th', { scope: 'col', class: 'num' }, `Fold ${f + 1}`)),
      h('th', { scope: 'col', class: 'num' }, 'Mean ± std'), books ? h('th', { scope: 'col', class: 'num' }, 'Book mean') : null);
    const rows = job.labels.map((label, i) => {
      const s = job.summaries[i];
      return h('tr', { dataset: { config: String(i) } }, h('th', { scope: 'row' }, label),
        ...Array.from({ length: job.k }, (_, f) => h('td', { class: 'num', dataset: { fold: String(f) } },
          pctOrNum(job.results[i][f], job.percent))),
        h('td', { class: 'num', dataset: { key: 'mean' } },
          s?.n ? `${pctOrNum(s.mean, job.percent)} ± ${pctOrNum(s.std, job.percent)}` : '–'),
        books ? h('td', { class: 'num' }, books[i] !== undefined ? bookPercent(books[i]) : '–') : null);
    });
    table.replaceChildren(h('thead', {}, head), h('tbody', {}, rows));
  }

  runBtn.addEventListener('click', async () => {
    say(err, '');
    const k = Number(kInput.value);
    if (!Number.isInteger(k) || k < 2 || k > 10) { say(err, 'K must be a whole number from 2 to 10.'); return; }
    let configs, labels;
    runBtn.disabled = true;
    try {
      ({ configs, labels } = await configsNow());
    } catch (e) { runBtn.disabled = false; say(err, `k-fold could not start: ${e.message}`); return; }
    const id = `k${nextJob++}`;
    if (job && !job.done) engine.send('kfold-stop', { job: job.id, run: `kfold:${job.id}` });
    job = { id, labels, k, results: configs.map(() => []), summaries: configs.map(() => null), percent: true, done: false };
    draw();
    setSearch('kfold', String(k));
    runBtn.disabled = true;
    stopBtn.disabled = false;
    el.dataset.state = 'running';
    bar.hidden = false;
    bar.value = 0;
    setText(status, `Training ${k} folds × ${configs.length} configuration${configs.length === 1 ? '' : 's'}…`);
    try {
      await engine.request('kfold', { job: id, run: `kfold:${id}`, configs, labels, k });
    } catch (e) { finish(`k-fold could not start: ${e.message}`); }
  });
  stopBtn.addEventListener('click', () => {
    if (!job || job.done) return;
    engine.send('kfold-stop', { job: job.id, run: `kfold:${job.id}` });
    finish('', 'Stopped: the folds finished so far are shown.');
  });

  function finish(message, note = '') {
    if (job) job.done = true;
    runBtn.disabled = false;
    stopBtn.disabled = true;
    bar.hidden = true;
    if (message) say(err, message);
    setText(status, note);
    el.dataset.state = message ? 'error' : 'done';
  }

  const mine = (m) => job && m.job === job.id && !job.done;
  engine.on('kfold-progress', (m) => {
    if (!mine(m)) return;
    bar.value = m.total ? m.done / m.total : 0;
    setText(status, `Fold ${m.fold + 1} of ${m.k}: epoch ${Math.max(...m.epochs.map((e) => e.epoch))} · ${m.done}/${m.total} epochs in all`);
  });
  engine.on('kfold-fold', (m) => {
    if (!mine(m)) return;
    job.results[m.config][m.fold] = m.accuracy ?? m.loss;
    job.summaries[m.config] = m.summary ?? null;
    if (m.accuracy === null) job.percent = false;
    draw();
  });
  engine.on('kfold-done', (m) => {
    if (!mine(m)) return;
    finish('', `Done: ${job.k} folds × ${job.labels.length}; scores are ${job.percent ? 'validation accuracy' : 'validation loss'} `
      + 'on the fold left out (same seed, same folds: a re-run gives the same numbers).');
  });
  engine.on('kfold-error', (m) => { if (mine(m)) finish(m.message); });
  engine.on('restarted', () => { if (job && !job.done) finish('The training engine restarted: run the k-fold again.'); });

  return {
    render() {
      const hasRace = Boolean(race.race?.runs.length);
      const opt = what.querySelector('option[value="race"]');
      if (opt.disabled !== !hasRace) opt.disabled = !hasRace;
      if (!hasRace && what.value === 'race') what.value = 'experiment';
      if (hasRace && activeLesson()?.kfold && !what.dataset.touched) what.value = 'race';
    },
    get results() { return job ? { labels: job.labels, k: job.k, results: job.results, done: job.done } : null; },
  };
}
