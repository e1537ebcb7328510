// Main-thread client of the training worker. The page never trains: it sends
// messages and listens. Requests that expect an answer return a promise
// (matched by id); streaming messages (progress, state, dataset-progress) go
// to listeners registered with on().
export class Engine {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.listeners = new Map();
    this.pending = new Map();
    this.nextId = 1;
    this.ready = new Promise((resolve, reject) => {
      this.once('ready', resolve);
      this.once('boot-error', reject);
    });
    this.worker.onmessage = ({ data }) => this.dispatch(data);
    this.worker.onerror = (e) => this.emit('error', { message: e.message || 'the training worker failed to start' });
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

  /** Fire-and-forget command: run, pause, step. */
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

/** "2 threads" or "1 thread — page not cross-origin isolated". */
export function modeLabel({ threads, isolated }) {
  const t = `${threads} thread${threads === 1 ? '' : 's'}`;
  return isolated ? t : `${t} — page not cross-origin isolated`;
}
