// Adaptive threads (issue 14.1): on a shared or busy machine two threads can
// be slower than one (wake-ups, a core taken by another program). The worker
// times training chunks on all threads and on one (the core's `setParallel`
// switch; results are bit-identical either way), keeps the faster and checks
// again every RECHECK_MS of training. Pure logic: the clock and the switch are
// passed in, so a node test drives it.

export const RECHECK_MS = 20_000;
/** Chunks timed per mode in a trial; the first after a switch is not counted (pool wake-up). */
export const TRIAL_CHUNKS = 4;
/**
 * Counted training time per mode in a trial, at least: a big model's chunk is one batch of ~80 ms,
 * and three of them were too few to tell the modes apart on a shared machine (issue 14.1).
 */
export const TRIAL_MS = 300;
/** One thread is kept only when it is faster by more than this share: noise keeps all threads. */
export const MARGIN = 0.03;

/**
 * A chooser for `threads` pool threads. `setParallel(bool)` switches the core;
 * `now()` is the clock in ms. Call `before()` ahead of each training chunk and
 * `after(samples, ms)` with what it trained and how long it took.
 */
export function createThreadChooser({
  threads, setParallel, now = () => performance.now(), recheckMs = RECHECK_MS, trialChunks = TRIAL_CHUNKS, trialMs = TRIAL_MS,
  margin = MARGIN,
}) {
  const adaptive = threads > 1;
  // phase: 'many' / 'one' while measuring that mode, 'settled' after.
  let phase = adaptive ? 'many' : 'settled';
  let parallel = adaptive;
  let seen = 0;
  const rate = { many: { samples: 0, ms: 0 }, one: { samples: 0, ms: 0 } };
  let settledAt = 0;

  const apply = (on) => { if (on !== parallel || phase !== 'settled') setParallel(on); parallel = on; };
  const startTrial = () => {
    phase = 'many';
    seen = 0;
    rate.many = { samples: 0, ms: 0 };
    rate.one = { samples: 0, ms: 0 };
  };
  const perMs = (r) => (r.ms > 0 ? r.samples / r.ms : 0);

  return {
    before() {
      if (!adaptive) return;
      if (phase === 'settled' && now() - settledAt >= recheckMs) startTrial();
      if (phase === 'many') apply(true);
      else if (phase === 'one') apply(false);
    },
    after(samples, ms) {
      if (!adaptive || phase === 'settled') return;
      seen += 1;
      if (seen > 1) { rate[phase].samples += samples; rate[phase].ms += ms; }
      if (seen < trialChunks || rate[phase].ms < trialMs) return;
      seen = 0;
      if (phase === 'many') { phase = 'one'; return; }
      // Keep the faster; a tie, or one thread faster by no more than `margin`, keeps all threads.
      const one = perMs(rate.one) > perMs(rate.many) * (1 + margin);
      phase = 'settled';
      settledAt = now();
      parallel = !one;
      setParallel(!one);
    },
    /** The mode as the page shows it. */
    get label() {
      if (!adaptive) return '1 thread';
      if (phase !== 'settled') return `${threads} threads (measuring)`;
      return parallel ? `${threads} threads` : '1 thread (faster here)';
    },
    get parallel() { return parallel; },
    /** Samples per ms measured in the last trial, for the benchmark. */
    get rates() { return { many: perMs(rate.many), one: perMs(rate.one) }; },
  };
}

/**
 * The chooser for training that may start before the thread pool is up (issue 14.4: the page
 * configures while the pool starts): until `chooser` (a promise of a createThreadChooser
 * chooser) resolves, the core stays on the worker's own thread (the caller has switched
 * `setParallel(false)`) and this one reports that; then it hands every call on. If it rejects
 * (the pool did not start), training stays on that one thread.
 */
export function createPendingChooser(chooser) {
  let real = null;
  let up = false;
  chooser.then((c) => { real = c; up = true; }, () => { up = true; });
  return {
    before() { real?.before(); },
    after(samples, ms) { real?.after(samples, ms); },
    get label() { return real?.label ?? (up ? '1 thread' : '1 thread (thread pool starting)'); },
    get parallel() { return real?.parallel ?? false; },
    get rates() { return real?.rates ?? { many: 0, one: 0 }; },
  };
}
