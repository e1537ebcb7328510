// Why training ended, when EarlyStopping is configured (issue 10.3): the core's
// report (ChunkReport.early_stopping: 0-based stopped/best/restored epochs, as
// Keras' attributes) in one sentence, 1-based as Keras prints epochs:
//   "Stopped early at epoch 14: val_loss did not improve by more than 0.001 for 5 epochs;
//    best epoch 9 (val_loss 0.123), weights restored from epoch 9."
import { fmt, say } from './dom.js';

/** The sentence for an EarlyStopping report, or '' when there is nothing to say. */
export function earlyStoppingText(es) {
  if (!es) return '';
  const best = es.best_epoch !== null && es.best_epoch !== undefined
    ? `best epoch ${es.best_epoch + 1}${es.best !== null && es.best !== undefined ? ` (${es.monitor} ${fmt(es.best)})` : ''}`
    : `${es.monitor} was never logged (is there validation data?)`;
  const restored = es.restored_epoch !== null && es.restored_epoch !== undefined
    ? `, weights restored from epoch ${es.restored_epoch + 1}` : '';
  if (es.stopped_epoch !== null && es.stopped_epoch !== undefined) {
    const by = es.min_delta > 0 ? ` by more than ${fmt(es.min_delta)}` : '';
    const n = es.patience;
    return `Stopped early at epoch ${es.stopped_epoch + 1}: ${es.monitor} did not improve${by} for ${n} epoch${n === 1 ? '' : 's'}; `
      + `${best}${restored}.`;
  }
  return restored ? `Early stopping did not stop the run; ${best}${restored}.` : '';
}

/** Shows the main run's sentence in `el` when training ends; cleared when the model is rebuilt or reset. */
export function mountEarlyNote(el, session) {
  session.on('progress', (report) => {
    if (report.finished && report.early_stopping) say(el, earlyStoppingText(report.early_stopping), 'note');
  });
  for (const ev of ['configured', 'reset']) session.on(ev, () => say(el, ''));
}
