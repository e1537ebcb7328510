// Small DOM helpers shared by the page modules (no framework).

/** h('button', {class: 'x', onclick}, 'text', child…) → element. `null`/`false` children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

/** Sets an element's text only when it changes (no needless layout while training). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** `el`'s children become `nodes`, touching the DOM only when they differ (views repainted in place). */
export function setChildren(el, nodes) {
  if (el.children.length === nodes.length && nodes.every((n, i) => el.children[i] === n)) return;
  el.replaceChildren(...nodes);
}

/**
 * 1234567 → "1,234,567" (BigInt counts too; rounded to a whole number), as `Intl.NumberFormat('en-US')`
 * writes it (tests/unit/dom-group.test.mjs compares them). Written out rather than asked of Intl: the first
 * Intl formatter of a page costs 25-75 ms of main thread (ICU's start-up, issue 14.4: page ready), and
 * `toLocaleString` builds a new one per call.
 */
export function group(n) {
  if (typeof n !== 'bigint' && !Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞';
  const whole = typeof n === 'bigint' ? n : Math.sign(n) * Math.round(Math.abs(n));   // halves away from 0, as Intl
  const text = whole.toString();   // from 1e21 on, Numbers write "1.5e+25": its shortest digits, as Intl takes them
  const [mantissa, exponent] = text.replace('-', '').split('e+');
  const abs = exponent ? mantissa.replace('.', '').padEnd(Number(exponent) + 1, '0') : mantissa;
  const sign = text.startsWith('-') && /[1-9]/.test(abs) ? '-' : '';
  return sign + abs.replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * A file's size for a message: "812 KB", "3.4 MB", "255 MB" (KB = 1,024 bytes and MB = 1,024 KB, as in
 * the core's messages and limits).
 */
export function fileSize(bytes) {
  if (bytes < 1024 * 1024) return `${group(Math.ceil(bytes / 1024))} KB`;
  const mb = bytes / 1024 / 1024;
  return mb < 10 ? `${mb.toFixed(1)} MB` : `${group(mb)} MB`;
}

/** Offers `blob` as a download named `name` (the object URL is revoked once the browser has it). */
export function downloadBlob(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Runs `fn` once, when `el` first comes within `margin` of the screen (at once where the browser
 * has no IntersectionObserver): work for a panel below the fold waits until someone scrolls there.
 */
export function whenNear(el, fn, margin = '400px') {
  if (typeof IntersectionObserver === 'undefined') { fn(); return; }
  const io = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    io.disconnect();
    fn();
  }, { rootMargin: margin });
  io.observe(el);
}

/** Number for display: 4 significant digits, no exponent for ordinary values. */
export function fmt(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const r = Number(v.toPrecision(digits));
  if (r !== 0 && (Math.abs(r) < 1e-4 || Math.abs(r) >= 1e6)) return r.toExponential();
  return r.toString();
}

export const pct = (v, digits = 1) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)}%`);

/** Call fn at most once per `ms` after the last call. */
export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.flush = () => { clearTimeout(t); fn(); };
  return d;
}

/** Shows `message` in `el` (role=alert), or hides it when message is empty. */
export function say(el, message, kind = 'error') {
  setText(el, message ?? '');
  if (el.hidden !== !message) el.hidden = !message;
  if (el.dataset.kind !== kind) el.dataset.kind = kind;
}
