// Training controls: Start/Resume, Pause, Stop, Step, Reset, and the live
// learning rate and momentum (sent to the worker with `set`, effective from the
// next batch). Which buttons are enabled follows the training state:
//   idle     — model built, not trained yet        → Start, Step
//   running  — training in the worker              → Pause, Stop, Reset
//   paused   — halted mid-run, resumable           → Resume, Step, Stop, Reset
//   stopped  — halted by Stop and evaluated        → Resume, Step, Reset
//   finished — all epochs done (or early stopping) → Reset
import { h, fmt, group, setText } from './dom.js';
import { momentumField } from './state.js';

const READY = new Set(['idle', 'paused', 'stopped']);

export const STATUS_TEXT = {
  booting: 'Starting…',
  checking: 'Checking the model…',
  building: 'Building the model…',
  invalid: 'Fix the setup to train',
  idle: 'Ready — press Start',
  running: 'Training…',
  paused: 'Paused',
  stopped: 'Stopped',
  finished: 'Finished',
  error: 'Not running',
};

/** One sentence per state: what it means and what the buttons do now. */
export function stateHint(s) {
  const step = group(s.step);
  switch (s.status) {
    case 'idle': return `Ready: Start trains ${s.config.epochs} epoch${s.config.epochs === 1 ? '' : 's'}; Step trains one batch.`;
    case 'running': return 'Training in the background. Pause keeps everything as it is; Stop also evaluates on the test set.';
    case 'paused': return `Paused at step ${step}. Resume continues exactly where it stopped; Step trains one batch.`;
    case 'stopped': return `Stopped at step ${step} and evaluated on the test set. Resume continues the run.`;
    case 'finished': return 'Finished. Reset gives fresh weights (same seed ⇒ same start); changing the setup builds a new model.';
    case 'invalid': return 'The setup has problems (shown under Build): fix them to train.';
    case 'building': return 'Building the model…';
    default: return '';
  }
}

/** Steps-per-second choices (0 = as fast as possible), shared by every run. */
export const SPEEDS = [1, 2, 5, 10, 30, 100, 0];

/** The steps-per-second picker (its value follows the store's `speed`). */
export function speedSelect(id, onSpeed) {
  const sel = h('select', { id, 'aria-label': 'training speed in steps per second' },
    SPEEDS.map((v) => h('option', { value: String(v) }, v ? `${v} step${v === 1 ? '' : 's'}/s` : 'max speed')));
  sel.value = '0';
  sel.addEventListener('change', () => onSpeed(Number(sel.value)));
  return sel;
}

export function mountControls(el, { onStart, onPause, onStop, onStep, onReset, onLive, onSpeed }) {
  const btn = (id, text, cls, fn, key) => h('button', { id, type: 'button', class: cls, onclick: fn, disabled: true,
    'aria-keyshortcuts': key }, text);
  const start = btn('start', 'Start', 'primary', () => onStart());
  const pause = btn('pause', 'Pause', 'secondary', () => onPause());
  const stop = btn('stop', 'Stop', 'secondary', () => onStop());
  const step = btn('step', 'Step', 'secondary', () => onStep(1));
  const step10 = btn('step10', 'Step ×10', 'secondary', () => onStep(10));
  const stepEpoch = btn('step-epoch', 'One epoch', 'secondary', () => onStep('epoch'));
  const speed = speedSelect('speed', onSpeed);
  const reset = btn('reset', 'Reset', 'ghost', () => onReset());
  step.title = 'Train one batch';
  reset.title = 'Fresh weights from the same seed (same seed ⇒ same weights)';
  stop.title = 'Stop and evaluate on the test set';

  const liveErr = h('p', { class: 'field-error', id: 'live-err', role: 'alert', hidden: true });
  const liveInput = (id, label, key) => {
    const input = h('input', { id, type: 'number', step: 'any', min: '0', inputmode: 'decimal', 'aria-describedby': 'live-err' });
    const apply = async () => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v)) { showErr(`${label.textContent}: enter a number`); return; }
      try {
        await onLive({ [key]: v });
        showErr(null);
      } catch (e) { showErr(e.message); }
    };
    input.addEventListener('change', apply);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') apply(); });
    return input;
  };
  const lrLabel = h('span', {}, 'learning rate');
  const mLabel = h('span', {}, 'momentum');
  const lr = liveInput('live-lr', lrLabel, 'learning_rate');
  const mom = liveInput('live-momentum', mLabel, 'momentum');
  const mField = h('label', { class: 'field', for: 'live-momentum' }, mLabel, mom);
  const showErr = (m) => { liveErr.textContent = m ?? ''; liveErr.hidden = !m; };

  const hint = h('p', { class: 'hint', id: 'state-hint' });
  el.append(
    h('div', { class: 'row wrap buttons', role: 'group', 'aria-label': 'training controls' }, start, pause, stop, step, reset),
    h('div', { class: 'row wrap buttons', role: 'group', 'aria-label': 'pace' }, step10, stepEpoch,
      h('label', { class: 'field inline', for: 'speed' }, 'Speed', speed)),
    hint,
    h('div', { class: 'row wrap live' },
      h('label', { class: 'field', for: 'live-lr' }, lrLabel, lr), mField,
      h('small', { class: 'muted' }, 'change them any time, even while training: they apply from the next batch')),
    liveErr);

  return {
    render(s) {
      const ready = READY.has(s.status) && !s.busy && !s.fieldErrors && !s.checking;
      const text = s.fieldErrors ? 'A field under Build is not a number: fix it to train.'
        : s.checking && s.status !== 'running' ? 'Checking the new setup…' : stateHint(s);
      setText(hint, text);
      start.disabled = !ready;
      setText(start, s.status === 'paused' || s.status === 'stopped' ? 'Resume' : 'Start');
      pause.disabled = s.status !== 'running';
      stop.disabled = !(s.status === 'running' || s.status === 'paused');
      step.disabled = step10.disabled = stepEpoch.disabled = !ready;
      if (document.activeElement !== speed && speed.value !== String(s.speed ?? 0)) speed.value = String(s.speed ?? 0);
      reset.disabled = !(s.hasSession && s.step > 0) || Boolean(s.busy);
      const o = s.config.optimizer;
      const mk = momentumField(o.name);
      if (document.activeElement !== lr) lr.value = String(o.learning_rate);
      mField.hidden = !mk;
      if (mk) {
        setText(mLabel, mk === 'momentum' ? 'momentum' : 'beta_1 (momentum)');
        if (document.activeElement !== mom) mom.value = String(o[mk]);
      }
      lr.disabled = mom.disabled = Boolean(s.busy) || !s.hasSession;
      const title = s.lastLr !== undefined ? `last batch trained with ${fmt(s.lastLr)}` : '';
      if (lr.title !== title) lr.title = title;
    },
  };
}
