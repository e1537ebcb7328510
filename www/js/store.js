// Persistence in IndexedDB (database "gradient-lab", store "kv"):
//   "model"    — the last trained model file (JSON text) with the app config it
//                was trained with, its step, the chart points and the time;
//   "settings" — the last config and UI bits (e.g. the log-scale toggle).
// Saving happens at pause / stop / finish and at most every SAVE_EVERY_MS at
// epoch ends while training. "Start fresh" deletes everything. When IndexedDB
// is unavailable (private mode, blocked) everything still works, unsaved.
const DB = 'gradient-lab';
const STORE = 'kv';
const SAVE_EVERY_MS = 10_000;

function promisify(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
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
      put: (k, v) => promisify(tx('readwrite').put(v, k)),
      del: (k) => promisify(tx('readwrite').delete(k)),
      clear: () => promisify(tx('readwrite').clear()),
    };
  } catch {
    const m = new Map();
    return { available: false, get: async (k) => m.get(k), put: async (k, v) => { m.set(k, v); },
      del: async (k) => { m.delete(k); }, clear: async () => m.clear() };
  }
}

/**
 * Saves the trained model when training halts and at epoch ends (throttled);
 * forgets it after Reset. `onSaved(record)` / `onError(err)` report to the page.
 */
export function autosave(kv, session, store, watch, { onSaved, onError }) {
  let lastSave = Date.now();
  let saving = null;
  let pending = false;

  async function saveNow() {
    if (saving) { pending = true; return saving; }
    const s = store.get();
    if (!s.hasSession || s.step === 0) return null;
    saving = (async () => {
      const json = await session.save();
      // The config the model was trained with (the one on screen may already be a new link's: 15.10).
      const record = { json, config: session.savedConfig?.() ?? store.get().config, step: store.get().step, epoch: store.get().epoch,
        points: watch.snapshot(), savedAt: Date.now() };
      await kv.put('model', record);
      lastSave = Date.now();
      onSaved(record);
      return record;
    })().catch(onError).finally(() => { saving = null; });
    const r = await saving;
    if (pending) { pending = false; return saveNow(); }
    return r;
  }

  for (const ev of ['paused', 'stopped', 'finished']) session.on(ev, saveNow);
  session.on('configured', () => { lastSave = Date.now(); });
  session.on('progress', (r) => {
    if (r.epochs.length && store.get().status === 'running' && Date.now() - lastSave > SAVE_EVERY_MS) saveNow();
  });
  session.on('reset', () => kv.del('model').then(() => onSaved(null)).catch(onError));
  return { saveNow };
}

/** "saved 14:03 · step 1,407". */
export function describeSaved(rec) {
  if (!rec) return 'Nothing saved in this browser yet: a trained model is kept here automatically.';
  const t = new Date(rec.savedAt);
  const when = t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const day = t.toDateString() === new Date().toDateString() ? '' : ` ${t.toLocaleDateString()}`;
  return `Saved in this browser at ${when}${day}: ${rec.config.dataset} model, step ${rec.step.toLocaleString('en-US')}. `
    + 'It comes back when you reload.';
}
