// The race's results table: one row per run (colour and label, status, step,
// last loss, metric, best validation loss, validation metric, test result,
// samples/s, time), sortable by any column (click its header), with the run's
// live learning rate and momentum (a `set`: marked on the charts) and Stop /
// Remove. Rows are built once per race and updated cell by cell.
import { h, fmt, group, setText } from './dom.js';
import { runStatus } from './runstatus.js';
import { encodeRace, sortRows } from './race.js';
import { formatDuration } from './progress.js';
import { momentumField } from './state.js';
import { raceBookCell } from './lessons.js';

/** The table's numbers change at most this often (ms). */
const THROTTLE_MS = 250;

const COLUMNS = [
  ['label', 'Run'], ['status', 'Status'], ['step', 'Step'], ['loss', 'Loss'], ['metric', 'Metric'],
  ['bestValLoss', 'Best val loss'], ['valMetric', 'Val metric'], ['test', 'Test'],
  ['book', 'Book'],   // the course's number for this run, when a race lesson is open (lessons.js)
  ['speed', 'Samples/s'], ['time', 'Time'],
];

/** The run's line as drawn on the charts: its colour and dash pattern (the table doubles as the legend). */
function swatch({ color, dash }) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'swatch');
  svg.setAttribute('viewBox', '0 0 36 8');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(ns, 'line');
  for (const [k, v] of Object.entries({ x1: 0, y1: 4, x2: 36, y2: 4, stroke: color, 'stroke-width': 4 })) line.setAttribute(k, v);
  if (dash) line.setAttribute('stroke-dasharray', dash.map((d) => d * 1.5).join(' '));
  svg.append(line);
  return svg;
}

export function mountRaceTable(el, { session, extra, onRemove, onStop }) {
  const shown = { key: '', at: -Infinity, pending: null, timer: null };   // the last update (render)
  let runs = [];
  let rows = new Map();        // id → {tr, cells, lr, mom}
  let sort = { key: null, desc: false };
  let values = [];
  const tbody = h('tbody');
  const heads = COLUMNS.map(([key, text]) => {
    const b = h('button', { type: 'button', class: 'sort', onclick: () => {
      sort = { key, desc: sort.key === key ? !sort.desc : false };
      order();
    } }, text);
    return h('th', { scope: 'col', class: key === 'label' || key === 'status' ? '' : 'num', dataset: { key } }, b);
  });
  el.append(h('div', { class: 'scroll-x' }, h('table', { class: 'race-table', id: 'race-table' },
    h('thead', {}, h('tr', {}, heads, h('th', { scope: 'col' }, 'Learning rate'), h('th', { scope: 'col' }, 'Momentum'),
      h('th', { scope: 'col', class: 'actions' }, h('span', { class: 'sr-only' }, 'actions')))), tbody)));

  function live(id, key, label) {
    const input = h('input', { type: 'number', step: 'any', min: '0', inputmode: 'decimal', class: 'live',
      'aria-label': `${label} of ${runs.find((r) => r.id === id)?.label}`, dataset: { run: id, key } });
    const apply = () => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v) || v < 0) { input.setCustomValidity('enter a number ≥ 0'); input.reportValidity(); return; }
      input.setCustomValidity('');
      session.runs.set(id, { [key]: v }).catch((e) => { input.setCustomValidity(e.message); input.reportValidity(); });
    };
    input.addEventListener('change', apply);
    return input;
  }

  /** The race's runs (rows) and the name of its metric (column headers). */
  function setRuns(list, metric = null) {
    runs = list;
    shown.key = '';   // new, empty rows: the next update fills them at once
    const name = metric === 'accuracy' ? 'Accuracy' : metric ? metric.toUpperCase() : 'Metric';
    for (const th of heads) {
      const b = th.querySelector('button');
      if (th.dataset.key === 'metric') b.textContent = name;
      if (th.dataset.key === 'valMetric') b.textContent = `Val ${metric === 'accuracy' ? 'accuracy' : name}`;
      if (th.dataset.key === 'test') b.textContent = `Test ${metric === 'accuracy' ? 'accuracy' : name}`;
    }
    rows = new Map();
    tbody.replaceChildren(...list.map((r) => {
      const cells = Object.fromEntries(COLUMNS.map(([k]) => [k, h('td', { class: k === 'label' || k === 'status' ? '' : 'num', dataset: { key: k } })]));
      cells.label.replaceChildren(swatch(r.style), r.label);
      const lr = live(r.id, 'learning_rate', 'learning rate');
      const mom = live(r.id, 'momentum', 'momentum');
      const tr = h('tr', { dataset: { run: r.id } }, Object.values(cells), h('td', {}, lr), h('td', {}, mom),
        h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'ghost', title: 'Stop this run', onclick: () => onStop(r.id) }, 'Stop'),
          h('button', { type: 'button', class: 'ghost', title: 'Remove this run', onclick: () => onRemove(r.id) }, 'Remove')));
      rows.set(r.id, { tr, cells, lr, mom });
      return tr;
    }));
  }

  function order() {
    for (const th of heads) {
      const key = th.dataset.key;
      th.setAttribute('aria-sort', sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none');
    }
    if (!sort.key) return;
    const sorted = sortRows(values, sort.key, sort.desc).map((v) => rows.get(v.id).tr);
    if (sorted.some((tr, i) => tbody.children[i] !== tr)) tbody.append(...sorted);
  }

  /**
   * Shows the store's state `s`. The numbers change at most every THROTTLE_MS (each change lays the
   * table out again, and six runs change every frame: no one reads faster); a change of any run's
   * status, or new rows, show at once; the last state is always shown (a trailing update).
   */
  function render(s) {
    const now = performance.now();
    const key = `${runs.map((r) => r.id).join()}|${s.runs.map((x) => `${x.id}:${runStatus(x)}`).join()}`;
    if (key === shown.key && now - shown.at < THROTTLE_MS) {
      shown.pending = s;
      shown.timer ??= setTimeout(() => { shown.timer = null; render(shown.pending); }, THROTTLE_MS - (now - shown.at));
      return;
    }
    clearTimeout(shown.timer);
    shown.timer = null;
    Object.assign(shown, { key, at: now });
    values = runs.map((r) => {
      const rec = s.runs.find((x) => x.id === r.id);
      const x = extra.get(r.id) ?? {};
      return { id: r.id, label: r.label, status: rec ? runStatus(rec) : '–', step: rec?.step ?? 0, loss: rec?.lastLoss ?? null,
        metric: x.metric ?? null, bestValLoss: x.bestValLoss ?? null, valMetric: x.valMetric ?? null, test: x.test ?? null,
        speed: rec?.samplesPerSec ?? null,
        time: rec ? (rec.elapsedMs + (rec.running && rec.startedAt ? now - rec.startedAt : 0)) / 1000 : null, rec };
    });
    const raceText = encodeRace({ runs: runs.map((r) => r.patch) });
    const books = runs.map((_, i) => raceBookCell(i, raceText));
    const bookTh = heads.find((th) => th.dataset.key === 'book');
    if (bookTh.hidden !== !books.some(Boolean)) bookTh.hidden = !books.some(Boolean);
    for (const [i, v] of values.entries()) {
      const row = rows.get(v.id);
      if (!row) continue;
      const c = row.cells;
      const err = v.rec?.buildError || v.rec?.error || (v.rec?.diagnosis ? `⚠ ${v.rec.diagnosis.message}` : null);
      setText(c.status, err ? `${v.status}: ${err}` : v.status);
      setText(c.step, group(v.step));
      setText(c.loss, fmt(v.loss));
      setText(c.metric, fmt(v.metric));
      setText(c.bestValLoss, fmt(v.bestValLoss));
      setText(c.valMetric, fmt(v.valMetric));
      setText(c.test, fmt(v.test));
      setText(c.speed, v.speed ? group(v.speed) : '–');
      setText(c.time, v.time ? formatDuration(v.time) : '–');
      setText(c.book, books[i] || '–');
      if (c.book.hidden !== bookTh.hidden) c.book.hidden = bookTh.hidden;
      const o = v.rec?.config.optimizer;
      if (o && document.activeElement !== row.lr) row.lr.value = String(o.learning_rate);
      const mk = o && momentumField(o.name);
      row.mom.hidden = !mk;
      if (mk && document.activeElement !== row.mom) row.mom.value = String(o[mk]);
    }
    if (sort.key) order();
  }

  return { element: el, setRuns, render };
}
