// Adaptive threads (issue 14.1): on a shared or busy machine two threads can
// be slower than one (wake-ups, a core taken by another program). The worker
// times training chunks on all threads and on one (the core's `setParallel`
// switch; results are bit-identical either way), keeps the faster and checks
// again every RECHECK_MS of training. Pure logic: the clock and the switch are
// passed in, so a node test drives it.
//
// A trial runs in the order all threads → one → all threads (A-B-A): the
// budget of "all threads" is split into two halves at both ends, each with
// its own not-counted first chunk (pool wake-up), and each mode's rate is its
// summed counted samples over its summed counted ms. The host's speed drifts
// over seconds on a shared VM; timing one mode entirely before the other put
// that drift into the comparison (the bench found the chosen mode ≥ 0.95× the
// faster fixed one in only 7 of 12 rounds). With the halves around the
// one-thread phase a linear drift cancels: both modes' counted time has the
// same centre. The trial ends on all threads, so keeping them needs no switch.
//
// Moving from all threads to one takes two trials in a row that both say so:
// a trial is ~0.7 s, and on a shared VM one stall of the other vCPU during a
// half of all threads made one thread look 25 % faster where, measured
// interleaved over seconds, it was 20 % slower (the bench's adaptive rounds,
// mlp-small). Going back to all threads, the default, takes one trial.

export const RECHECK_MS = 20_000;
/**
 * Chunks timed per mode in a trial, the first after a switch included and not counted (pool
 * wake-up): so TRIAL_CHUNKS - 1 counted. All threads' counted chunks are split into two halves of
 * ceil((TRIAL_CHUNKS - 1) / 2), each after its own not-counted chunk.
 */
export const TRIAL_CHUNKS = 4;
/**
 * Counted training time per mode in a trial, at least: a big model's chunk is one batch of ~80 ms,
 * and three of them were too few to tell the modes apart on a shared machine (issue 14.1). All
 * threads get it as two halves of TRIAL_MS / 2, one on each side of the one-thread phase.
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
  // The trial's phases in order (A-B-A), each with the mode it times and what it needs before the
  // next: chunks seen (the first, not counted, included) and counted ms.
  const counted = Math.max(1, trialChunks - 1);
  const half = { chunks: 1 + Math.ceil(counted / 2), ms: trialMs / 2 };
  const phases = [
    { mode: 'many', ...half },
    { mode: 'one', chunks: 1 + counted, ms: trialMs },
    { mode: 'many', ...half },
  ];
  // step: index into `phases` while measuring, -1 when settled.
  let step = adaptive ? 0 : -1;
  let parallel = adaptive;
  let seen = 0;
  let phaseMs = 0;
  const rate = { many: { samples: 0, ms: 0 }, one: { samples: 0, ms: 0 } };
  let settledAt = 0;
  // The mode the last trial kept (all threads before the first), and whether a second trial is
  // checking a first one's "one thread is faster".
  let kept = adaptive;
  let confirming = false;

  const measuring = () => step >= 0;
  const apply = (on) => { if (on !== parallel || measuring()) setParallel(on); parallel = on; };
  const startTrial = () => {
    step = 0;
    seen = 0;
    phaseMs = 0;
    rate.many = { samples: 0, ms: 0 };
    rate.one = { samples: 0, ms: 0 };
  };
  const perMs = (r) => (r.ms > 0 ? r.samples / r.ms : 0);

  return {
    before() {
      if (!adaptive) return;
      if (!measuring() && now() - settledAt >= recheckMs) startTrial();
      if (measuring()) apply(phases[step].mode === 'many');
    },
    after(samples, ms) {
      if (!adaptive || !measuring()) return;
      const phase = phases[step];
      seen += 1;
      if (seen > 1) { rate[phase.mode].samples += samples; rate[phase.mode].ms += ms; phaseMs += ms; }
      if (seen < phase.chunks || phaseMs < phase.ms) return;
      seen = 0;
      phaseMs = 0;
      step += 1;
      if (step < phases.length) return;
      // Keep the faster; a tie, or one thread faster by no more than `margin`, keeps all threads.
      const one = perMs(rate.one) > perMs(rate.many) * (1 + margin);
      if (one && kept && !confirming) {
        // From all threads to one: only if a second trial, straight after, says so too.
        confirming = true;
        startTrial();
        return;
      }
      confirming = false;
      step = -1;
      settledAt = now();
      parallel = !one;
      kept = !one;
      setParallel(!one);
    },
    /** The mode as the page shows it. */
    get label() {
      if (!adaptive) return '1 thread';
      if (measuring()) return `${threads} threads (measuring)`;
      return parallel ? `${threads} threads` : '1 thread (faster here)';
    },
    get parallel() { return parallel; },
    /** Samples per ms measured in the last trial (all threads: both halves summed), for the benchmark. */
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
