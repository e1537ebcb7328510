// Gallery of misclassified test images: each a small pixelated image with
// "pred 3 · true 5" and the model's confidence in its (wrong) prediction.
// Each is a button: click, Enter or Space opens it larger in a dialog
// (Escape or Close returns to the thumbnail).
//
//   const g = mountGallery(el, { title: 'Misclassified test images' });
//   g.update([{ pixels: Uint8Array(784), h: 28, w: 28, pred: 3, truth: 5, confidence: 0.81 }]);
import { drawPixels } from './image.js';
import { setChildren } from '../dom.js';

const pct = (c) => (Number.isFinite(c) ? `${Math.round(c * 100)}%` : '–');

export function mountGallery(el, { title = 'Misclassified images', labels = null, heading = 'h3' } = {}) {
  const root = document.createElement('section');
  root.className = 'gl-gallery';
  const h = document.createElement(/^h[1-6]$/.test(heading) ? heading : 'h3');
  h.className = 'gl-gallery-title';
  h.textContent = title;
  const empty = document.createElement('p');
  empty.className = 'gl-hint';
  const grid = document.createElement('ul');
  grid.className = 'gl-gallery-grid';
  grid.setAttribute('aria-label', title);
  const dialog = document.createElement('dialog');
  dialog.className = 'gl-gallery-dialog';
  dialog.innerHTML = `<figure><canvas class="gl-pixelated"></canvas><figcaption></figcaption></figure>
    <form method="dialog"><button type="submit">Close</button></form>`;
  root.append(h, empty, grid, dialog);
  el.append(root);
  const name = (k) => String(labels?.[k] ?? k);
  let opener = null;
  dialog.addEventListener('close', () => { opener?.focus(); opener = null; });
  dialog.addEventListener('click', (ev) => { if (ev.target === dialog) dialog.close(); });

  function caption(it) {
    return `pred ${name(it.pred)} · true ${name(it.truth)}`;
  }

  function open(it, button) {
    drawPixels(dialog.querySelector('canvas'), it.pixels, it.h, it.w, it.channels ?? 1);
    dialog.querySelector('canvas').setAttribute('aria-label', `image predicted as ${name(it.pred)}, truly ${name(it.truth)}`);
    dialog.querySelector('figcaption').textContent = `${caption(it)} — confidence ${pct(it.confidence)}`;
    opener = button;
    if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
  }

  // The thumbnails on screen are kept and repainted by the next update (one every few seconds
  // while training): none are created or collected after the first (issue 14.5).
  const thumbs = [];   // [{ li, b, c, t, conf }]
  let current = [];    // the items shown, by thumbnail

  function thumb(k) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'gl-thumb';
    const c = document.createElement('canvas');
    c.className = 'gl-pixelated';
    c.setAttribute('aria-hidden', 'true');
    const t = document.createElement('span');
    t.className = 'gl-thumb-text';
    const conf = document.createElement('span');
    conf.className = 'gl-thumb-conf';
    b.append(c, t, conf);
    b.addEventListener('click', () => open(current[k], b));
    li.append(b);
    return { li, b, c, t, conf };
  }

  function update(items) {
    if (!Array.isArray(items)) throw new Error('gallery.update: give an array of {pixels, h, w, pred, truth, confidence}');
    items.forEach((it, k) => {
      if (!it?.pixels || !(it.h > 0) || !(it.w > 0)) throw new Error(`gallery.update: item ${k} needs pixels, h and w`);
    });
    current = items.slice();
    items.forEach((it, k) => {
      thumbs[k] ??= thumb(k);
      const { b, c, t, conf } = thumbs[k];
      b.setAttribute('aria-label', `${caption(it)}, confidence ${pct(it.confidence)}. Open larger.`);
      drawPixels(c, it.pixels, it.h, it.w, it.channels ?? 1);
      t.textContent = caption(it);
      conf.textContent = pct(it.confidence);
    });
    setChildren(grid, thumbs.slice(0, items.length).map((x) => x.li));
    empty.textContent = items.length ? '' : 'No misclassified images — every one was right.';
    empty.hidden = items.length > 0;
  }

  function clear() {
    grid.replaceChildren();
    empty.textContent = 'Evaluate the model to see the images it gets wrong.';
    empty.hidden = false;
    if (dialog.open) dialog.close();
  }

  clear();
  return { update, clear, element: root };
}
