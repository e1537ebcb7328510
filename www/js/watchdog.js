// The training worker answers between calls into the core. If it stops answering for good, it is
// stuck: e.g. a Rust panic on one of rayon's pool threads (the training chunk runs there, issue
// 14.1) kills that thread, and the worker waits forever for its part. No error reaches the page
// then, so the engine asks every PING_MS, and when an answer is HANG_MS late it treats the worker
// as crashed (restarts it, and the runs are rebuilt from their last snapshots).
//
// Busy is not stuck: one call into the core can take longer than HANG_MS (a step of a big model on
// a slow machine). So the watchdog also reads the kernels' heartbeat, a counter in the shared wasm
// memory that the core bumps as it computes (crate/src/kernels/heartbeat.rs): while it moves, the
// wait for an answer starts again. When a pool thread has died the others soon wait too and the
// counter stops. Only the threaded build has that shared memory, and only it has pool threads to
// lose: the single-threaded build reports a panic as an error, so the engine runs no watchdog there.
// Pure logic: the clock, the timer, the ping and the heartbeat are passed in, so a node test drives it.

export const PING_MS = 5_000;
export const HANG_MS = 60_000;

/**
 * `ping()` returns a promise settled when the worker answers (an error answer counts: it answered).
 * `onHang(seconds)` is called once when an answer is HANG_MS late and the heartbeat has not moved
 * for as long; the watchdog then stops.
 * `start(beats)` after the worker is ready, with `beats()` reading the heartbeat counter;
 * `stop()` before the worker is replaced.
 */
export function createWatchdog({
  ping, onHang, now = () => Date.now(), setTimer = (f, ms) => setInterval(f, ms), clearTimer = (t) => clearInterval(t),
}) {
  let timer = null;
  let asked = null;        // when the unanswered ping was sent, or the heartbeat last moved since
  let beats = () => 0;
  let seen = 0;            // the heartbeat at `asked`
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
      const b = beats();
      if (b !== seen) {
        // Computing: not answering is fine, wait HANG_MS from now.
        seen = b;
        asked = t;
        return;
      }
      if (t - asked >= HANG_MS) {
        const late = Math.round((t - asked) / 1000);
        stop();
        onHang(late);
      }
      return;
    }
    asked = t;
    seen = beats();
    const mine = generation;
    const answered = () => { if (mine === generation) asked = null; };
    ping().then(answered, answered);
  };
  return {
    start(heartbeat) {
      stop();
      beats = heartbeat;
      timer = setTimer(tick, PING_MS);
    },
    stop,
  };
}
