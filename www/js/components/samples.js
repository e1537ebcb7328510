// Dataset preview: a few samples as the model gets them. Image datasets
// (sample shape [h, w] or [h, w, 1|3]) show as pixelated images with their
// class; feature datasets as a small table (features, then class or target).
//
//   mountSamples(el).update({ x: Uint8Array | Float32Array, labels, sampleShape: [28, 28, 1],
//                             classNames: ['0', ..., '9'] });
import { drawPixels } from './image.js';

/** What the preview will show: {kind: 'images'|'table', n, per, h, w, channels, features}. */
export function sampleLayout(x, sampleShape) {
  const shape = Array.from(sampleShape ?? [], Number);
  if (!x || typeof x.length !== 'number') throw new Error('samples: x must be an array of sample values');
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`samples: sampleShape must be positive whole numbers, got [${shape.join(', ')}]`);
  }
  const per = shape.reduce((a, b) => a * b, 1);
  if (x.length % per !== 0) throw new Error(`samples: ${x.length} values are not whole samples of ${per}`);
  const n = x.length / per;
  const channels = shape.length === 3 ? shape[2] : 1;
  if (shape.length >= 2 && shape.length <= 3 && (channels === 1 || channels === 3)) {
    return { kind: 'images', n, per, h: shape[0], w: shape[1], channels };
  }
  return { kind: 'table', n, per, features: per };
}

const isWhole = (v) => Number.isFinite(v) && Math.abs(v - Math.round(v)) < 1e-9;

export function mountSamples(el, { title = 'Sample preview' } = {}) {
  const root = document.createElement('div');
  root.className = 'gl-samples';
  root.setAttribute('role', 'region');
  root.setAttribute('aria-label', title);
  el.append(root);

  function labelText(v, classNames) {
    const num = Number(v);
    if (!Number.isFinite(num)) return '–';
    if (classNames && isWhole(num) && classNames[num] !== undefined) return String(classNames[num]);
    return isWhole(num) ? String(num) : num.toFixed(3);
  }

  function images(L, x, labels, classNames) {
    const ul = document.createElement('ul');
    ul.className = 'gl-samples-grid';
    for (let k = 0; k < L.n; k += 1) {
      const li = document.createElement('li');
      const fig = document.createElement('figure');
      const c = drawPixels(document.createElement('canvas'), x.subarray
        ? x.subarray(k * L.per, (k + 1) * L.per) : x.slice(k * L.per, (k + 1) * L.per), L.h, L.w, L.channels);
      c.className = 'gl-pixelated';
      const label = labelText(labels?.[k], classNames);
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', `sample ${k + 1}, class ${label}`);
      const cap = document.createElement('figcaption');
      cap.textContent = label;
      fig.append(c, cap);
      li.append(fig);
      ul.append(li);
    }
    return ul;
  }

  function table(L, x, labels, classNames) {
    const regression = !classNames && Array.from(labels ?? []).some((v) => Number.isFinite(Number(v)) && !isWhole(Number(v)));
    const t = document.createElement('table');
    t.className = 'gl-samples-table';
    const cap = document.createElement('caption');
    cap.textContent = `${L.n} samples · ${L.features} feature${L.features === 1 ? '' : 's'} (normalised, as the model sees them)`;
    const head = document.createElement('tr');
    const cols = ['#', ...Array.from({ length: L.features }, (_, i) => `x${i + 1}`), regression ? 'target' : 'class'];
    for (const name of cols) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name;
      head.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    for (let k = 0; k < L.n; k += 1) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(k + 1);
      tr.append(th);
      for (let j = 0; j < L.features; j += 1) {
        const td = document.createElement('td');
        const v = Number(x[k * L.per + j]);
        td.textContent = Number.isFinite(v) ? v.toFixed(3) : '–';
        tr.append(td);
      }
      const td = document.createElement('td');
      td.className = 'gl-samples-label';
      td.textContent = labelText(labels?.[k], classNames);
      tr.append(td);
      tbody.append(tr);
    }
    t.append(cap, thead, tbody);
    const scroll = document.createElement('div');
    scroll.className = 'gl-scroll';
    scroll.tabIndex = 0;
    scroll.setAttribute('role', 'region');
    scroll.setAttribute('aria-label', 'sample table');
    scroll.append(t);
    return scroll;
  }

  function update({ x, labels, sampleShape, classNames } = {}) {
    const L = sampleLayout(x, sampleShape);
    if (L.n === 0) {
      const p = document.createElement('p');
      p.className = 'gl-hint';
      p.textContent = 'No samples to show.';
      root.replaceChildren(p);
      return L;
    }
    root.dataset.kind = L.kind;
    root.replaceChildren(L.kind === 'images' ? images(L, x, labels, classNames) : table(L, x, labels, classNames));
    return L;
  }

  return { update, element: root, clear: () => root.replaceChildren() };
}
