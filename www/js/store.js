// Persistence in IndexedDB (database "gradient-lab", store "kv"):
//   "model"    — the last trained model file (a Blob of its JSON; `json`, its
//                text, in records saved before) with the app config it was
//                trained with, its step, the chart points and the time;
//   "settings" — the last config and UI bits (e.g. the log-scale toggle).
// Saving happens at pause / stop / finish, every SAVE_EVERY_MS and at epoch
// ends while training, and when the page is hidden; never over a good save
// with a diverged model. "Start fresh" deletes everything. When IndexedDB
// is unavailable (private mode, blocked) everything still works, unsaved.
import { group } from './dom.js';
import { writeDue } from './pacing.js';

const DB = 'gradient-lab';
const STORE = 'kv';
const SAVE_EVERY_MS = 10_000;   // while training
const EPOCH_GAP_MS = 2_000;     // at least this between epoch-end saves

function promisify(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * A write, resolved when its transaction has committed: a request's success comes before that, and a
 * page reloaded in between loses the write (a model reported "Saved" came back one save older).
 */
function written(db, write) {
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, 'readwrite');
    write(t.objectStore(STORE));
    t.oncomplete = () => resolve();
    t.onerror = t.onabort = () => reject(t.error ?? new Error('IndexedDB write failed'));
  });
}

/** {get, put, del, clear, available} over one object store; a Map if IndexedDB fails. */
export async function openStore() {
  try {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    const db = await promisify(open);
    const tx = (mode) => db.transaction(STORE, mode).objectStore(STORE);
    return {
      available: true,
      get: (k) => promisify(tx('readonly').get(k)),
      put: (k, v) => written(db, (s) => s.put(v, k)),
      del: (k) => written(db, (s) => s.delete(k)),
      clear: () => written(db, (s) => s.clear()),
    };
  } catch {
    const m = new Map();
    return { available: false, get: async (k) => m.get(k), put: async (k, v) => { m.set(k, v); },
      del: async (k) => { m.delete(k); }, clear: async () => m.clear() };
  }
}

/**
 * Why the model as it is now must NOT replace the last good save (issue 15.19), or null: the run stopped
 * on a diverging step (the core rolled that step back, but the steps before it were already blowing up),
 * a loss that is not a number, or the core's diagnosis "diverged" (the loss exploded).
 */
export function unsafeToSave(s) {
  // A step failed on a non-finite loss: the state before it was already blowing up.
  if (/diverged/.test(s.runError ?? '')) return 'training diverged';
  if (s.lastLoss !== null && s.lastLoss !== undefined && !Number.isFinite(s.lastLoss)) return 'the loss is not a number';
  if (s.diagnosis?.kind === 'diverged') return 'training diverged';
  return null;
}

/**
 * Saves the trained model when training halts, every SAVE_EVERY_MS while it trains, at epoch ends (at
 * most every EPOCH_GAP_MS) and when the page is hidden or left (issue 15.20); forgets it after Reset.
 * The worker serialises the model and this page writes IndexedDB: nothing blocks. A model that is not
 * good (unsafeToSave) never replaces the last good save. `onSaved(record)` / `onError(err)` /
 * `onSkipped(message)` report to the page.
 */
export function autosave(kv, session, store, watch, { onSaved, onError, onSkipped = () => {} }) {
  let lastSave = Date.now();
  let savedStep = null;            // the step of the last save written (no second save of the same state)
  let saving = null;
  let pending = false;
  let took = 0;                    // ms the last save took (the worker's file, then IndexedDB)

  async function saveNow() {
    if (saving) { pending = true; return saving; }
    const s = store.get();
    if (!s.hasSession || s.step === 0) return null;
    const bad = unsafeToSave(s);
    if (bad) {
      onSkipped(`Not saved at step ${group(s.step)}: ${bad}. The last good save is kept.`);
      return null;
    }
    saving = (async () => {
      const began = performance.now();
      const file = await session.save();   // a Blob: IndexedDB keeps it without this thread copying it
      // The config the model was trained with (the one on screen may already be a new link's: 15.10).
      const about = { config: session.savedConfig?.() ?? store.get().config, step: session.savedStep?.() ?? store.get().step, epoch: store.get().epoch,
        points: watch.snapshot(), savedAt: Date.now() };
      let record = { file, ...about };
      await kv.put('model', record).catch(async () => {
        // A browser that cannot keep a Blob in IndexedDB (some private modes): the file's text instead.
        record = { json: await file.text(), ...about };
        await kv.put('model', record);
      });
      took = performance.now() - began;
      lastSave = Date.now();
      savedStep = record.step;
      onSaved(record);
      return record;
    })().catch(onError).finally(() => { saving = null; });
    const r = await saving;
    if (pending) { pending = false; return saveNow(); }
    return r;
  }
  const changed = () => store.get().hasSession && store.get().step > 0 && store.get().step !== savedStep;

  for (const ev of ['paused', 'stopped', 'finished']) session.on(ev, saveNow);
  session.on('configured', () => { lastSave = Date.now(); savedStep = null; });
  session.on('progress', (r) => {
    if (store.get().status !== 'running') return;
    const since = Date.now() - lastSave;
    if (writeDue({ since, every: SAVE_EVERY_MS, epochGap: EPOCH_GAP_MS, took, epochEnded: r.epochs.length > 0 })) saveNow();
  });
  session.on('reset', () => { savedStep = null; kv.del('model').then(() => onSaved(null)).catch(onError); });
  // Leaving or hiding the page (reload, tab switch, phone app switch): save what changed, without waiting.
  const onHide = () => { if (changed()) saveNow(); };
  globalThis.addEventListener?.('pagehide', onHide);
  globalThis.document?.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') onHide(); });
  return { saveNow };
}

/** "saved 14:03 · step 1,407". */
export function describeSaved(rec) {
  if (!rec) return 'Nothing saved in this browser yet: a trained model is kept here automatically.';
  const t = new Date(rec.savedAt);
  const when = t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const day = t.toDateString() === new Date().toDateString() ? '' : ` ${t.toLocaleDateString()}`;
  return `Saved in this browser at ${when}${day}: ${rec.config.dataset} model, step ${group(rec.step)}. `
    + 'It comes back when you reload.';
}
