// The engine's watchdog (www/js/watchdog.js): a worker that stops answering is reported once, and
// only then; a slow or erroring answer is an answer; a worker whose heartbeat moves is busy, not
// stuck; a stop() forgets pings already sent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createWatchdog, HANG_MS, PING_MS } from '../../www/js/watchdog.js';

const settle = () => new Promise((r) => { setImmediate(r); });

/**
 * A watchdog on a hand-driven clock: `advance(ms)` runs the timer's ticks due in `ms` (calling
 * `between()` before each); `start()` starts it with a heartbeat counter that `beat()` moves.
 */
function rig({ answer }) {
  let t = 0;
  let beats = 0;
  let tick = null;
  const pings = [];
  const hangs = [];
  const dog = createWatchdog({
    ping: () => new Promise((resolve, reject) => { pings.push({ resolve, reject }); answer?.(pings.at(-1)); }),
    onHang: (s) => hangs.push(s),
    now: () => t,
    setTimer: (f, ms) => { assert.equal(ms, PING_MS); tick = f; return 1; },
    clearTimer: () => { tick = null; },
  });
  const advance = async (ms, between = () => {}) => {
    for (let left = ms; left >= PING_MS; left -= PING_MS) {
      between();
      t += PING_MS;
      tick?.();
      await settle();
    }
  };
  const start = () => dog.start(() => beats);
  const beat = () => { beats = (beats + 1) >>> 0; };
  return { dog, start, beat, pings, hangs, advance, running: () => tick !== null };
}

test('a worker that answers every ping is never reported', async () => {
  const r = rig({ answer: (p) => p.resolve() });
  r.start();
  await r.advance(10 * HANG_MS);
  assert.equal(r.hangs.length, 0);
  assert.equal(r.pings.length, (10 * HANG_MS) / PING_MS);
});

test('an error answer is an answer', async () => {
  const r = rig({ answer: (p) => p.reject(new Error('unknown message type')) });
  r.start();
  await r.advance(3 * HANG_MS);
  assert.equal(r.hangs.length, 0);
});

test('a worker that stops answering is reported once, HANG_MS after the unanswered ping, and the watchdog stops', async () => {
  let answering = true;
  const r = rig({ answer: (p) => { if (answering) p.resolve(); } });
  r.start();
  await r.advance(4 * PING_MS);
  answering = false;
  const sent = r.pings.length;
  await r.advance(PING_MS);                 // the ping that is never answered
  assert.equal(r.pings.length, sent + 1);
  await r.advance(HANG_MS - PING_MS);
  assert.deepEqual(r.hangs, []);            // not yet: HANG_MS - PING_MS late
  await r.advance(PING_MS);
  assert.deepEqual(r.hangs, [HANG_MS / 1000]);
  assert.equal(r.running(), false);
  assert.equal(r.pings.length, sent + 1);   // no ping while waiting for the answer
  await r.advance(3 * HANG_MS);
  assert.equal(r.hangs.length, 1);
});

test('a late answer within HANG_MS resets the wait', async () => {
  const r = rig({});
  r.start();
  await r.advance(PING_MS);
  await r.advance(HANG_MS - PING_MS);
  r.pings[0].resolve();
  await settle();
  await r.advance(PING_MS);                 // the next ping goes out
  await r.advance(HANG_MS - PING_MS);
  assert.equal(r.hangs.length, 0);
  assert.equal(r.pings.length, 2);
});

test('after stop() and start() (a new worker), a late answer from the old worker does not count for the new one', async () => {
  const r = rig({});
  r.start();
  await r.advance(HANG_MS - PING_MS);      // one unanswered ping, nearly late
  r.dog.stop();
  r.start();
  await r.advance(PING_MS);                 // the new worker's first ping, never answered
  assert.equal(r.pings.length, 2);
  r.pings[0].resolve();                     // the old worker's answer arrives late
  await settle();
  await r.advance(HANG_MS - PING_MS);
  assert.equal(r.hangs.length, 0);
  assert.equal(r.pings.length, 2);
  await r.advance(PING_MS);
  assert.deepEqual(r.hangs, [HANG_MS / 1000]);
});

test('a worker that computes without answering is not reported; when its heartbeat stops too, it is, HANG_MS later', async () => {
  const r = rig({});
  r.start();
  await r.advance(PING_MS);                 // a ping the busy worker does not answer
  await r.advance(10 * HANG_MS, r.beat);    // ten minutes of one long call, the kernels beating
  assert.deepEqual(r.hangs, []);
  assert.equal(r.pings.length, 1);
  await r.advance(HANG_MS - PING_MS);       // the last tick that saw a beat was HANG_MS - PING_MS ago
  assert.deepEqual(r.hangs, []);
  await r.advance(PING_MS);
  assert.deepEqual(r.hangs, [HANG_MS / 1000]);
});
