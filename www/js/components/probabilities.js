// Live class-probability bars: one row per class (label, bar, value in %),
// the top class highlighted. Screen readers get the list, and a polite
// "Prediction: 3" announcement only when the top class changes (not every frame).
//
//   const bars = mountProbabilities(el, { labels: ['0', '1', ..., '9'] });
//   bars.update(Float32Array.from(softmaxOutput));

let uid = 0;

/** Percentage text: one decimal below 99.95 %, "100%" above, "<0.1%" for tiny non-zero values. */
export function percentText(p) {
  if (!Number.isFinite(p)) return '–';
  const v = p * 100;
  if (v > 0 && v < 0.05) return '<0.1%';
  return v >= 99.95 ? '100%' : `${v.toFixed(1)}%`;
}

export function mountProbabilities(el, { labels = Array.from({ length: 10 }, (_, i) => String(i)) } = {}) {
  const id = `gl-probs-${uid += 1}`;
  const root = document.createElement('div');
  root.className = 'gl-probs';
  const status = document.createElement('p');
  status.className = 'gl-probs-top';
  status.id = `${id}-top`;
  status.setAttribute('aria-live', 'polite');
  const list = document.createElement('ol');
  list.className = 'gl-probs-list';
  list.setAttribute('aria-label', 'Probability of each class');
  root.append(status, list);
  el.append(root);

  let rows = [];
  let names = [];
  function build(ls) {
    names = ls.map(String);
    rows = names.map((name) => {
      const li = document.createElement('li');
      li.className = 'gl-prob';
      li.innerHTML = '<span class="gl-prob-label"></span><span class="gl-prob-track"><span class="gl-prob-bar"></span></span><span class="gl-prob-value"></span>';
      li.querySelector('.gl-prob-label').textContent = name;
      list.append(li);
      return { li, bar: li.querySelector('.gl-prob-bar'), value: li.querySelector('.gl-prob-value') };
    });
  }
  build(labels);

  let top = -1;
  function clear() {
    for (const r of rows) {
      r.bar.style.width = '0%';
      r.value.textContent = '–';
      r.li.classList.remove('gl-top');
      r.li.removeAttribute('aria-current');
    }
    top = -1;
    status.textContent = 'Prediction: –';
  }

  function update(probs) {
    if (!probs || typeof probs.length !== 'number') throw new Error('probabilities.update: give an array of class probabilities');
    if (probs.length !== rows.length) {
      list.replaceChildren();
      build(Array.from({ length: probs.length }, (_, i) => (i < names.length ? names[i] : String(i))));
      top = -1;
    }
    let best = -1;
    for (let i = 0; i < rows.length; i += 1) {
      const p = Number(probs[i]);
      const ok = Number.isFinite(p);
      rows[i].bar.style.width = `${ok ? Math.min(100, Math.max(0, p * 100)) : 0}%`;
      rows[i].value.textContent = percentText(p);
      if (ok && (best < 0 || p > Number(probs[best]))) best = i;
    }
    rows.forEach((r, i) => {
      r.li.classList.toggle('gl-top', i === best);
      if (i === best) r.li.setAttribute('aria-current', 'true'); else r.li.removeAttribute('aria-current');
    });
    if (best !== top) {
      top = best;
      status.textContent = best < 0 ? 'Prediction: –' : `Prediction: ${names[best]}`;
    }
  }

  clear();
  return { update, clear, element: root, top: () => top };
}
