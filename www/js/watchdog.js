// The training worker answers between chunks. If it stops answering, it is stuck for good: e.g. a
// Rust panic on one of rayon's pool threads (the training chunk runs there, issue 14.1) kills that
// thread, and the worker waits forever for its part. No error reaches the page then, so the
// engine asks every PING_MS, and when an answer is HANG_MS late it treats the worker as crashed
// (restarts it, and the runs are rebuilt from their last snapshots). The longest thing the worker
// does without answering is one call into the core: a chunk (~40 ms, at least one batch) or an
// evaluation of a test set (seconds), far below HANG_MS. Pure logic: the clock, the timer and the
// ping are passed in, so a node test drives it.

export const PING_MS = 5_000;
export const HANG_MS = 60_000;

/**
 * `ping()` returns a promise settled when the worker answers (an error answer counts: it answered).
 * `onHang(seconds)` is called once when an answer is HANG_MS late; the watchdog then stops.
 * `start()` after the worker is ready, `stop()` before it is replaced.
 */
export function createWatchdog({
  ping, onHang, now = () => Date.now(), setTimer = (f, ms) => setInterval(f, ms), clearTimer = (t) => clearInterval(t),
}) {
  let timer = null;
  let asked = null;        // when the unanswered ping was sent
  let generation = 0;      // answers to pings of an earlier start() are ignored
  const stop = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    asked = null;
    generation += 1;
  };
  const tick = () => {
    const t = now();
    if (asked !== null) {
      if (t - asked >= HANG_MS) {
        const late = Math.round((t - asked) / 1000);
        stop();
        onHang(late);
      }
      return;
    }
    asked = t;
    const mine = generation;
    const answered = () => { if (mine === generation) asked = null; };
    ping().then(answered, answered);
  };
  return {
    start() { stop(); timer = setTimer(tick, PING_MS); },
    stop,
  };
}
