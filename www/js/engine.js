// Main-thread client of the training worker. The page never trains: it sends
// messages and listens. Requests that expect an answer return a promise
// (matched by id); streaming messages (progress, state, dataset-progress) go
// to listeners registered with on(). If the worker reports a fatal error (a
// Rust panic poisons its wasm module), the engine replaces it with a fresh
// worker and emits `restarted` {message}; the runs client then rebuilds the runs. A worker that
// stops answering and computing (watchdog.js) is replaced the same way.
import { workerUrl } from './wasm-build.js';
import { createWatchdog } from './watchdog.js';

export class Engine {
  constructor() {
    this.listeners = new Map();
    this.pending = new Map();
    this.nextId = 1;
    this.restarts = 0;
    this.watchdog = createWatchdog({
      ping: () => this.request('ping'),
      onHang: (seconds) => this.dispatch({ type: 'fatal', message: `it stopped answering for ${seconds} s` }),
    });
    this.start();
  }

  start() {
    // The first worker was started by boot.js if it ran (see there): adopt it and replay what it
    // posted before this module arrived.
    const early = globalThis.gradlabWorker;
    delete globalThis.gradlabWorker;
    this.worker = early?.worker ?? new Worker(workerUrl(), { type: 'module' });
    this.ready = new Promise((resolve, reject) => {
      this.once('ready', resolve);
      this.once('boot-error', reject);
    });
    this.heartbeat = null;
    this.ready.then(() => this.watch(), () => {});
    this.worker.onmessage = ({ data }) => this.dispatch(data);
    this.worker.onerror = (e) => this.emit('error', { message: e.message || 'the training worker failed to start' });
    for (const e of early?.early ?? []) (e.type === 'error' ? this.worker.onerror(e) : this.worker.onmessage(e));
  }

  /**
   * Starts the watchdog where the worker shared its heartbeat before it was ready (the threaded
   * build: only there can a dead pool thread leave it stuck without an error; watchdog.js).
   */
  watch() {
    if (!this.heartbeat) return;
    const counter = new Int32Array(this.heartbeat.buffer, this.heartbeat.at, 1);
    this.watchdog.start(() => Atomics.load(counter, 0));
  }

  /** Replaces a poisoned worker: pending requests fail, a new worker boots, `restarted` is emitted once it is ready. */
  async restart(message) {
    this.watchdog.stop();
    this.worker.terminate();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const w of pending) w.reject(new Error(`the training engine crashed (${message})`));
    this.restarts += 1;
    this.start();
    const info = await this.ready;
    this.emit('restarted', { message, info });
  }

  dispatch(msg) {
    const waiter = msg.id !== undefined && this.pending.get(msg.id);
    if (waiter) {
      this.pending.delete(msg.id);
      if (msg.type === 'error') waiter.reject(new Error(msg.message));
      else waiter.resolve(msg);
      return;
    }
    if (msg.type === 'error' && msg.for === 'boot') this.emit('boot-error', new Error(msg.message));
    if (msg.type === 'heartbeat') { this.heartbeat = msg; return; }
    if (msg.type === 'fatal') { this.emit('fatal', msg); this.restart(msg.message).catch(() => {}); return; }
    this.emit(msg.type, msg);
  }

  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  once(type, fn) {
    const off = this.on(type, (m) => { off(); fn(m); });
  }

  emit(type, msg) {
    for (const fn of this.listeners.get(type) ?? []) fn(msg);
  }

  /** Fire-and-forget command: run, pause, step, speed. */
  send(type, payload = {}, transfer = []) {
    this.worker.postMessage({ type, ...payload }, transfer);
  }

  /** Request with a reply: configure, set, predict, evaluate, reset, save, load, history. */
  request(type, payload = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type, id, ...payload }, transfer);
    });
  }
}

/**
 * "2 threads", "2 threads, fused multiply-add" (the relaxed-SIMD build on a CPU with FMA) or
 * "1 thread — page not cross-origin isolated".
 */
export function modeLabel({ threads, isolated, fused }) {
  const t = `${threads} thread${threads === 1 ? '' : 's'}${fused ? ', fused multiply-add' : ''}`;
  return isolated ? t : `${t} — page not cross-origin isolated`;
}

let shared = null;
/**
 * The page's one engine, created on first call, over the worker js/boot.js started as soon as it
 * ran (so the worker loads the wasm and the schema while the page's own modules are still
 * arriving); app.js then gets the same engine.
 */
export function sharedEngine() {
  shared ??= new Engine();
  return shared;
}
