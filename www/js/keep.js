// The "Keep & share" section: copy the link, download / upload the model file,
// "Start fresh", the saved-model status line, and restoring the saved model on
// load (automatically when it was trained with the experiment on screen,
// otherwise offered in a notice).
import { $, fileSize, group, say } from './dom.js';
import { configKey, defaultConfig } from './state.js';
import { encodeConfig } from './url.js';
import { autosave, describeSaved } from './store.js';
import { downloadModel, uploadModel } from './modelfile.js';

export function mountKeep({ session, store, engine, watch, notice, getKv }) {
  const err = (m) => say($('keep-error'), m);
  const status = (m) => { $('keep-status').textContent = m; };
  let saver = null;

  $('copy-link').onclick = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      status('Link copied: it opens this exact experiment (same data, layers, optimizer and seed).');
    } catch {
      status(`Copy this link: ${location.href}`);
    }
  };

  $('download').onclick = async () => {
    err('');
    try {
      const bytes = await downloadModel(session, store);
      status(`Downloaded the model (${fileSize(bytes)}). Upload it here later to continue.`);
    } catch (e) { err(`Could not save the model: ${e.message}`); }
  };

  $('upload').onchange = async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    err('');
    if (store.get().running) session.pause();
    try {
      const { config, step } = await uploadModel(file, session, engine);
      watch.restore({ history: (await engine.request('history')).history });
      await saver?.saveNow();
      status(`Loaded ${file.name}: ${config.dataset} model at step ${group(step)} (kept in this browser too).`);
    } catch (x) {
      err(`${file.name} was not loaded: ${x.message}. Nothing was changed.`);
    }
  };

  $('start-fresh').onclick = async () => {
    if (!confirm('Start fresh? This forgets the saved model and settings in this browser and loads the default experiment.')) return;
    if (store.get().running) session.pause();
    await getKv()?.clear().catch(() => {});
    history.replaceState(null, '', `${location.pathname}${location.search}#${encodeConfig(defaultConfig())}`);
    location.reload();
  };

  // The core checks the saved file as it loads it (and says what is wrong); the page neither parses nor copies
  // it here: a saved model can be 256 MB, and parsing it held this thread for seconds at every load.
  async function restore(rec) {
    const history = await session.loadModel(rec.config, rec.file ?? rec.json, rec.step);   // `json`: saved before the Blob
    watch.restore({ history, saved: rec.points });
    status(`Restored your model from this browser (step ${group(store.get().step)}). ${describeSaved(rec)}`);
  }

  return {
    /** At boot: restore the saved model if it matches the experiment on screen, else offer it. */
    async restoreSaved() {
      const kv = getKv();
      saver = autosave(kv, session, store, watch, {
        onSaved: (rec) => status(describeSaved(rec)),
        onError: (e) => err(`Could not save in this browser: ${e.message}`),
        onSkipped: (m) => status(m),
      });
      const rec = await kv.get('model').catch(() => null);
      status(kv.available ? describeSaved(rec) : 'This browser does not allow saving here (private mode?): download the model to keep it.');
      if (!rec) return;
      const same = configKey(rec.config) === configKey(store.get().config);
      const attempt = () => restore(rec).catch((e) => {
        err(`The saved model could not be restored: ${e.message}. Use "Start fresh" to forget it.`);
      });
      if (same) await attempt();
      else {
        notice(`A model you trained earlier (${rec.config.dataset}, step ${group(rec.step)}) is saved in this browser, `
          + 'for a different experiment than this link\'s.', [['Restore it', attempt]]);
      }
    },
    render(s) {
      $('download').disabled = !s.hasSession || Boolean(s.busy);
      $('upload').disabled = Boolean(s.busy);
    },
  };
}
