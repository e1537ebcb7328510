// A very small DOM for node unit tests of the page modules that build
// elements (editor, pickers): elements, text, attributes, events, and
// querySelector(All) for simple selectors (tag, #id, .class, [a="v"], [a^="v"],
// :not([a]), comma lists). Not a browser: only what those modules use.

class Node {
  constructor() { this.parentNode = null; }
  remove() {
    const p = this.parentNode;
    if (p) { p.childNodes.splice(p.childNodes.indexOf(this), 1); this.parentNode = null; }
  }
}

class Text extends Node {
  constructor(text) { super(); this.data = text; }
  get textContent() { return this.data; }
}

const matchesOne = (el, sel) => {
  const m = /^([a-z0-9]*)((?:#[\w-]+|\.[\w-]+|\[[^\]]+\]|:not\(\[[^\]]+\]\))*)$/i.exec(sel.trim());
  if (!m) throw new Error(`fake-dom: unsupported selector ${sel}`);
  if (m[1] && el.tagName !== m[1].toUpperCase()) return false;
  for (const part of m[2].match(/#[\w-]+|\.[\w-]+|\[[^\]]+\]|:not\(\[[^\]]+\]\)/g) ?? []) {
    if (part[0] === '#' && el.id !== part.slice(1)) return false;
    if (part[0] === '.' && !el.classList.contains(part.slice(1))) return false;
    if (part[0] === ':' && el.hasAttribute(/\[([\w-]+)\]/.exec(part)[1])) return false;
    if (part[0] === '[') {
      const a = /^\[([\w-]+)(\^?=)?"?([^"\]]*)"?\]$/.exec(part);
      const v = el.getAttribute(a[1]);
      if (v === null) return false;
      if (a[2] === '=' && v !== a[3]) return false;
      if (a[2] === '^=' && !v.startsWith(a[3])) return false;
    }
  }
  return true;
};

class Element extends Node {
  constructor(tag, doc) {
    super();
    this.tagName = tag.toUpperCase();
    this.ownerDocument = doc;
    this.childNodes = [];
    this.attrs = new Map();
    this.listeners = new Map();
    // data-* attributes, as the DOM's dataset (camelCase key ⇄ data-kebab-case attribute).
    const attr = (k) => `data-${String(k).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    this.dataset = new Proxy({}, {
      get: (_, k) => (typeof k === 'string' && this.attrs.has(attr(k)) ? this.attrs.get(attr(k)) : undefined),
      set: (_, k, v) => { this.attrs.set(attr(k), String(v)); return true; },
      deleteProperty: (_, k) => { this.attrs.delete(attr(k)); return true; },
      has: (_, k) => this.attrs.has(attr(k)),
    });
    this.hidden = false;
    this.disabled = false;
    this.checked = false;
    this.selected = false;
    this.open = false;
    this.classList = {
      contains: (c) => this.className.split(/\s+/).includes(c),
      add: (c) => { if (!this.classList.contains(c)) this.className = `${this.className} ${c}`.trim(); },
      toggle: (c, on) => {
        const has = this.classList.contains(c);
        if (on ?? !has) this.classList.add(c); else if (has) this.className = this.className.split(/\s+/).filter((x) => x !== c).join(' ');
      },
    };
  }
  get className() { return this.attrs.get('class') ?? ''; }
  set className(v) { this.attrs.set('class', String(v)); }
  get id() { return this.attrs.get('id') ?? ''; }
  set id(v) { this.attrs.set('id', String(v)); }
  setAttribute(k, v) { this.attrs.set(k, String(v)); }
  getAttribute(k) { return this.attrs.has(k) ? this.attrs.get(k) : (k === 'disabled' && this.disabled ? '' : null); }
  hasAttribute(k) { return this.getAttribute(k) !== null; }
  removeAttribute(k) { this.attrs.delete(k); }
  get children() { return this.childNodes.filter((n) => n instanceof Element); }
  get childElementCount() { return this.children.length; }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(''); }
  set textContent(t) { this.replaceChildren(String(t)); }
  get value() {
    if (this.tagName === 'SELECT') return (this.options.find((o) => o.selected) ?? this.options[0])?.value ?? '';
    return this._value ?? this.attrs.get('value') ?? '';
  }
  set value(v) {
    if (this.tagName === 'SELECT') { for (const o of this.options) o.selected = o.value === String(v); return; }
    this._value = String(v);
  }
  get options() { return this.querySelectorAll('option'); }
  append(...nodes) {
    for (const n of nodes) {
      const node = n instanceof Node ? n : new Text(String(n));
      node.remove();
      node.parentNode = this;
      this.childNodes.push(node);
    }
  }
  prepend(...nodes) { const rest = this.childNodes.splice(0); this.append(...nodes); for (const n of rest) this.append(n); }
  after(...nodes) {
    const p = this.parentNode;
    const i = p.childNodes.indexOf(this);
    const tail = p.childNodes.splice(i + 1);
    p.append(...nodes);
    for (const n of tail) p.append(n);
  }
  replaceChildren(...nodes) { for (const n of this.childNodes.splice(0)) n.parentNode = null; this.append(...nodes); }
  addEventListener(type, fn) { this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]); }
  dispatch(type, extra = {}) {
    const e = { type, target: this, preventDefault() {}, ...extra };
    for (let n = this; n; n = n.parentNode) for (const fn of n.listeners?.get(type) ?? []) fn(e);
  }
  click() { this.dispatch('click'); }
  focus() { this.ownerDocument.activeElement = this; }
  contains(n) { for (let x = n; x; x = x.parentNode) if (x === this) return true; return false; }
  closest(sel) { for (let x = this; x instanceof Element; x = x.parentNode) if (x.matches(sel)) return x; return null; }
  matches(sel) { return sel.split(',').some((s) => matchesOne(this, s)); }
  querySelectorAll(sel) {
    const out = [];
    const walk = (el) => { for (const c of el.children) { if (c.matches(sel)) out.push(c); walk(c); } };
    walk(this);
    return out;
  }
  querySelector(sel) { return this.querySelectorAll(sel)[0] ?? null; }
}

/** Installs `document` and `Node` globals; returns the document. */
export function installFakeDom() {
  const doc = {
    activeElement: null,
    createElement: (tag) => new Element(tag, doc),
    createElementNS: (_ns, tag) => new Element(tag, doc),
    getElementById: (id) => doc.body.querySelector(`#${id}`),
  };
  doc.body = new Element('body', doc);
  globalThis.document = doc;
  globalThis.Node = Node;
  return doc;
}
