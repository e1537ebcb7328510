// The playground page: wires the modules together. The store holds the state
// (config + training state); the session keeps the worker's model in step with
// the config; each section renders from the store. See README "## The playground".
import { modeLabel, sharedEngine } from './engine.js';
import { $, debounce, group, h, say, setText } from './dom.js';
import { adaptToDataset, configKey, createStore, defaultConfig, hasImageLayers, normalizeConfig } from './state.js';
import { decodeHash, encodeConfig } from './url.js';
import { createSession } from './session.js';
import { mountEditor } from './editor.js';
import { mountPickers } from './pickers.js';
import { mountSummary, placeProblems, renderProblems, showPlaced } from './summary.js';
import { useSchema } from './schema.js';
import { trackOfflineDatasets } from './offline-datasets.js';
import { mountControls, STATUS_TEXT } from './controls.js';
import { mountProgress } from './progress.js';
import { mountWatch } from './watch.js';
import { mountEvaluate } from './evaluate.js';
import { mountDraw } from './draw.js';
import { openStore } from './store.js';
import { mountKeep } from './keep.js';
import { mountExport } from './export.js';
import { mountSamples } from './components/samples.js';
import { mountRace } from './race-view.js';
import { mountSurface } from './surface.js';
import { mountBoundary } from './boundary.js';
import { mountPredictions } from './predictions.js';
import { mountWeights } from './weights.js';
import { mountLessonPicker, openLessonLink } from './lesson-picker.js';
import { mountKfold } from './kfold.js';
import { mountEarlyNote } from './early-note.js';
import { mountUpload } from './upload.js';
import { mountInside } from './inside.js';
import { mountNetwork } from './network.js';
import { mountCurve } from './curve.js';

const engine = sharedEngine();   // started by boot.js already (see there)
// Until the worker sends the core's schema there is no experiment to show: an empty placeholder
// (the sections render from the first real config on, see render()).
const BOOTING = Object.freeze({ dataset: '', layers: [], loss: '', optimizer: { name: '' }, metrics: [], epochs: 1, batch_size: 32 });
const store = createStore({ config: BOOTING, status: 'booting', step: 0, epoch: 0, batchInEpoch: 0,
  batchesPerEpoch: 0, running: false, hasSession: false, busy: null, fieldErrors: 0, inspection: null, summary: null,
  runs: [], mode: null });
const session = createSession(engine, store);

// ---- notices (bad links, restore offers) ----
// Notices add up while shown (a bad link's explanation stays when a restore offer follows);
// an action removes its own notice, ✕ dismisses them all.
function notice(text, actions = []) {
  if ($('notice').hidden) { $('notice-text').replaceChildren(); $('notice-actions').replaceChildren(); }
  const line = h('span', { class: 'notice-line' }, text);
  const buttons = actions.map(([label, fn]) => h('button', { type: 'button', class: 'secondary', onclick: () => {
    line.remove();
    buttons.forEach((b) => b.remove());
    if (!$('notice-text').childElementCount) $('notice').hidden = true;
    fn();
  } }, label));
  $('notice-text').append(line);
  $('notice-actions').append(...buttons);
  $('notice').hidden = false;
}
$('notice-close').onclick = () => { $('notice').hidden = true; };

// ---- sections ----
const fieldErrs = new Map();
const fieldError = (id, msg) => {
  if (msg) fieldErrs.set(id, msg); else fieldErrs.delete(id);
  store.set({ fieldErrors: fieldErrs.size });
};
const setConfig = (config) => store.set({ config });
/**
 * The experiment on screen adapted to dataset `name` (state.js adaptToDataset). Convolutions sized
 * for 28×28 digits may not fit smaller images (digits' 8×8): when the core finds problems in the
 * adapted stack, the one without its image-only layers is taken instead. null when the experiment
 * was edited meanwhile (that edit wins).
 */
async function adaptChecked(name) {
  const before = store.get().config;
  const adapted = adaptToDataset(before, name);
  if (!hasImageLayers(adapted.config)) return adapted;
  const ins = await engine.request('inspect', { config: adapted.config }).catch(() => null);
  if (store.get().config !== before) return null;
  return ins && !ins.ok ? adaptToDataset(before, name, { withoutImageLayers: true }) : adapted;
}
const editor = mountEditor($('editor'), { fieldError, onChange: (layers) => setConfig({ ...store.get().config, layers }) });
const pickers = mountPickers({ datasetSelect: $('dataset'), info: $('dataset-info'), compileEl: $('compile'), fitEl: $('fit') }, {
  fieldError,
  onChange: setConfig,
  async onDataset(name) {
    const adapted = await adaptChecked(name);
    if (!adapted) return;
    const { config, notes } = adapted;
    say($('adapt-note'), notes.length ? `Adapted the model to ${name}: ${notes.join('; ')}.` : '', 'note');
    setConfig(config);
  },
});
const summary = mountSummary($('summary'));
const controls = mountControls($('controls'), {
  onStart: () => session.start(), onPause: () => session.pause(), onStop: () => session.stop(),
  onStep: (n) => session.step(n === 'epoch' ? Math.max(1, store.get().batchesPerEpoch) : n),
  onReset: () => session.reset().catch((e) => store.set({ runError: e.message })),
  onLive: (patch) => session.setLive(patch),
  onSpeed: (v) => session.runs.speed(v).catch((e) => store.set({ runError: e.message })),
});
const progress = mountProgress($('progress'));
const watch = mountWatch({ lossEl: $('chart-loss'), metricEl: $('chart-metric'), historyEl: $('history') }, session, store);
const evaluation = mountEvaluate({ button: $('evaluate'), resultEl: $('test-result'), errorEl: $('test-error'),
  confusionEl: $('confusion'), galleryEl: $('gallery') }, session, store, engine);
const draw = mountDraw({ padEl: $('drawpad'), probsEl: $('probs'), noteEl: $('draw-note'), areaEl: $('draw-area'),
  errorEl: $('draw-error') }, session, store, engine);
const samples = mountSamples($('samples'));
let kv = null;
const keep = mountKeep({ session, store, engine, watch, notice, getKv: () => kv });
mountExport({ button: $('export-keras'), noteEl: $('export-note') }, { store, session, engine });
const upload = mountUpload($('upload-data'), { engine, store, getKv: () => kv, notice, async onUse(name) {
  const adapted = await adaptChecked(name);
  if (!adapted) return;
  const { config, notes } = adapted;
  say($('adapt-note'), `Now training on your data ${name.slice(7)}${notes.length ? `: ${notes.join('; ')}` : ''}.`, 'note');
  setConfig(config);
} });
const race = mountRace($('race-panel'), { session, store, getKv: () => kv });
const kfold = mountKfold($('kfold-panel'), { engine, store, race });
mountEarlyNote($('early-note'), session);
const seeInside = {
  surface: mountSurface($('surface'), engine),
  boundary: mountBoundary($('boundary'), session, store, engine),
  predictions: mountPredictions($('predictions'), session, store, engine),
  inside: mountInside($('inside'), session, store, engine),
  network: mountNetwork($('network'), session, store, engine, draw),
  curve: mountCurve($('curve'), session, store, engine),
};
seeInside.weights = mountWeights($('hand-weights'), session, store, engine, { onChange: () => seeInside.predictions.refresh() });
// Classroom view: one shortcut (Space, or K) starts / pauses the race, else the experiment.
document.addEventListener('keydown', (e) => {
  if (!document.body.classList.contains('classroom') || e.altKey || e.ctrlKey || e.metaKey) return;
  if (!(e.key === ' ' || e.key === 'k') || e.target.closest?.('input, select, textarea, button, [contenteditable]')) return;
  e.preventDefault();
  if (race.toggle()) return;
  if (store.get().status === 'running') session.pause(); else session.start();
});
// Test hooks (window.gradlab) only when a test asks for them.
if (globalThis.__GRADLAB_TEST__ || new URLSearchParams(location.search).has('test')) {
  import('./testing.js').then((t) => t.install({ engine, store, session, watch, draw, evaluation, race, ...seeInside }));
}

session.on('configured', async ({ dataset }) => {
  const n = Math.min(dataset.train, 8);
  const step = Math.max(1, Math.floor(dataset.train / n));
  try {
    const s = await engine.request('samples', { split: 'train', indices: Array.from({ length: n }, (_, i) => i * step) });
    samples.update({ ...s, sampleShape: Array.from(s.sampleShape), labels: Array.from(s.labels), classNames: dataset.classNames });
  } catch (e) { say($('adapt-note'), `Could not show samples: ${e.message}`); }
});

trackOfflineDatasets(session);

// A model that could not be built (e.g. its dataset is not in the offline copy) has no samples to preview.
store.subscribe((s, changed) => { if (changed.has('dataInfo') && !s.dataInfo) samples.update({ x: [], labels: [], sampleShape: [1] }); });

// ---- the phone's bottom bar (issue 15.17): Start / Pause and jumps to Train and Draw ----
$('mini-run').onclick = () => (store.get().status === 'running' ? session.pause() : session.start());
function renderMinibar(s) {
  const running = s.status === 'running';
  setText($('mini-run'), running ? 'Pause' : $('start').textContent);
  $('mini-run').disabled = running ? false : $('start').disabled;
}

// ---- rendering ----
const STATUS_DETAIL = {
  running: (s) => `Training — epoch ${Math.min(s.config.epochs, s.epoch + 1)}/${s.config.epochs}`,
  paused: (s) => `Paused at step ${group(s.step)}`,
  stopped: (s) => `Stopped at step ${group(s.step)}`,
  finished: (s) => `Finished — ${s.epoch} epoch${s.epoch === 1 ? '' : 's'}`,
};
let queued = null;
function render(changed) {
  const s = store.get();
  const all = !changed;
  const checking = s.checking && s.status !== 'running' && s.status !== 'booting';
  const statusText = checking ? (s.datasetProgress ? 'Loading the data…' : STATUS_TEXT.checking)
    : STATUS_DETAIL[s.status]?.(s) ?? STATUS_TEXT[s.status] ?? s.status;
  setText($('status'), statusText);
  const pill = checking ? 'checking' : s.status;
  if ($('status').dataset.status !== pill) $('status').dataset.status = pill;
  if (s.config === BOOTING) { say($('run-error'), s.runError ?? ''); return; }   // before the schema and first config
  if (all || changed.has('config') || changed.has('inspection') || changed.has('summary') || changed.has('dataInfo')
      || changed.has('buildError') || changed.has('checking')) {
    editor.render(s.config.layers, { summaryRows: s.summary?.rows ?? [] });
    pickers.render(s.config, { dataInfo: s.dataInfo });
    summary.render({ summary: s.summary, checking: s.checking });
    const problems = [...(s.inspection?.ok === false ? s.inspection.problems : []), ...(s.buildError ? [s.buildError] : [])];
    const placed = placeProblems(problems, (slot) => Boolean(document.getElementById(`${slot}-problem`)));
    showPlaced($('build'), placed);
    renderProblems($('problems'), placed.all, s.config.layers);
  }
  const locked = s.status === 'running';
  if ($('build-fields').disabled !== locked) $('build-fields').disabled = locked;
  const note = s.status === 'running' ? 'Training is running: pause or stop it to change the setup.'
    : s.hasSession && s.step > 0 ? 'Changing the setup builds a new model with fresh weights (Download it first to keep this one).' : '';
  say($('locked-note'), note, 'note');
  controls.render(s);
  renderMinibar(s);   // after the controls: it mirrors #start
  progress.render(s);
  evaluation.render(s);
  draw.render(s);
  keep.render(s);
  race.render(s);
  kfold.render(s);
  say($('run-error'), s.runError ?? '');
  const dp = s.datasetProgress;
  if ($('dataset-progress').hidden !== !dp) $('dataset-progress').hidden = !dp;
  if (dp) {
    $('dataset-bar').value = dp.total ? dp.loaded / dp.total : 0;
    setText($('dataset-progress-text'), `Downloading ${dp.name}: ${(dp.loaded / 1e6).toFixed(1)} / ${(dp.total / 1e6).toFixed(1)} MB`);
  }
}
let pendingChanged = new Set();
store.subscribe((s, changed) => {
  for (const k of changed) pendingChanged.add(k);
  // The DOM is updated once per frame.
  if (!queued) {
    queued = requestAnimationFrame(() => {
      queued = null;
      const c = pendingChanged;
      pendingChanged = new Set();
      render(c);
    });
  }
});

// ---- config ↔ URL, settings, worker ----
const saveSettings = debounce(() => kv?.put('settings', { config: store.get().config,
  ui: { logLoss: watch.charts().loss.isLog?.() ?? false } }).catch(() => {}), 500);
store.subscribe((s, changed) => {
  if (!changed.has('config') || s.status === 'booting') return;
  history.replaceState(null, '', `#${encodeConfig(s.config)}`);
  session.schedule();
  saveSettings();
});
addEventListener('pagehide', () => saveSettings.flush());
// In-page links (#train…) scroll and focus without touching the hash, which holds the experiment.
document.addEventListener('click', (e) => {
  const a = e.target.closest?.('a[href^="#"]');
  const target = a && !a.getAttribute('href').includes('=') && document.getElementById(a.getAttribute('href').slice(1));
  if (!target) return;
  e.preventDefault();
  target.scrollIntoView({ block: 'start' });
  (target.querySelector('h2') ?? target).focus({ preventScroll: true });
});
addEventListener('hashchange', () => {
  if (!location.hash.includes('=')) {   // an anchor or an emptied hash: keep the experiment in the URL
    history.replaceState(null, '', `#${encodeConfig(store.get().config)}`);
    return;
  }
  try {
    const { config } = decodeHash(location.hash);
    if (!config || configKey(config) === configKey(store.get().config)) return;
    if (store.get().running) session.pause();
    setConfig(config);
  } catch (e) {
    notice(`This link's experiment could not be read: ${e.message}. Your current experiment is kept.`);
    history.replaceState(null, '', `#${encodeConfig(store.get().config)}`);
  }
});


// ---- boot ----
// IndexedDB opens while the worker compiles the wasm: boot.js began it (window.gradlabKv), else here.
const kvOpening = window.gradlabKv ?? openStore();
delete window.gradlabKv;
kvOpening.catch(() => {});
try {
  const info = await engine.ready;
  useSchema(info.schema);
  const lessonError = openLessonLink();   // ?lesson=<id>: its experiment, race and K into the URL before they are read
  mountLessonPicker($('lesson-picker'), { bookEl: $('lesson-book'), session, store, getKv: () => kv });
  store.set({ mode: info });
  $('mode').textContent = modeLabel(info);
  document.documentElement.dataset.wasm = info.build;   // the wasm build the offline copy keeps (js/coi.js)
  $('version').textContent = `v${info.version}`;
  kv = await kvOpening;
  let linkError = null;
  let config = null;
  try { config = decodeHash(location.hash).config; } catch (e) { linkError = e.message; }
  const settings = await kv.get('settings').catch(() => null);
  if (!config && !linkError && settings?.config) {
    try { config = normalizeConfig(settings.config); } catch { config = null; }
  }
  config ??= defaultConfig();
  if (settings?.ui?.logLoss) watch.setLog(true);
  store.set({ config, status: 'checking' });
  history.replaceState(null, '', `#${encodeConfig(config)}`);
  if (lessonError) notice(`This link's lesson could not be opened: ${lessonError}.`);
  if (linkError) notice(`This link's experiment could not be read: ${linkError}. The default experiment is loaded instead.`);
  await upload.restore(config.dataset);
  await session.syncNow();
  await keep.restoreSaved();
  await race.restore();
} catch (err) {
  $('mode').textContent = 'not running';
  store.set({ status: 'error', runError: err.message });
}
render();
