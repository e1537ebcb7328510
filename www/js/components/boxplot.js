// A box plot of fold scores, one box per configuration: whiskers at min and
// max, the box from the first to the third quartile, a line at the median,
// and every fold's own score as a dot beside it (K is small: 2–10 folds).
// It only draws: the statistics are the core's (`stats::summary` through the
// facade's `scoreSummary`, attached by the worker to every fold's score: linear
// quartiles, population std), never computed here.
// SVG built with setAttribute only (no inline style: the page's CSP).
//
//   const b = mountBoxPlot(el, { label: 'validation accuracy per fold', percent: true });
//   b.update([{ label: 'adam', values: [0.91, 0.89, 0.9], stats: {n: 3, min, q1, median, q3, max, mean, std},
//     color: '#0072B2' }]);

const NS = 'http://www.w3.org/2000/svg';
function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function mountBoxPlot(host, { label = 'box plot', percent = false } = {}) {
  const svg = el('svg', { class: 'gl-boxplot', role: 'img', 'aria-label': label, viewBox: '0 0 640 260' });
  host.append(svg);
  const fmtY = (v) => (percent ? `${(v * 100).toFixed(1)}%` : String(Number(v.toPrecision(3))));

  /**
   * groups: [{label, values, stats, color}] — draws every group's box from `stats` (the core's summary of
   * `values`, or null when none is finite: no box) and each finite value as a point.
   */
  function update(groups) {
    svg.replaceChildren();
    const W = 640; const H = 260; const L = 56; const R = W - 12; const T = 12; const B = H - 40;
    const all = groups.flatMap((g) => g.values.filter(Number.isFinite));
    if (!all.length) return;
    let lo = Math.min(...all); let hi = Math.max(...all);
    const pad = Math.max((hi - lo) * 0.1, percent ? 0.005 : Math.abs(hi) * 0.01 || 0.01);
    lo -= pad; hi += pad;
    const y = (v) => B - ((B - T) * (v - lo)) / (hi - lo);
    for (let i = 0; i <= 4; i += 1) {
      const v = lo + ((hi - lo) * i) / 4;
      svg.append(el('line', { x1: L, x2: R, y1: y(v), y2: y(v), class: 'grid' }),
        el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, fmtY(v)));
    }
    const slot = (R - L) / groups.length;
    groups.forEach((g, i) => {
      const s = g.stats ?? { n: 0 };
      const cx = L + slot * (i + 0.5);
      const bw = Math.min(60, slot * 0.35);
      const grp = el('g', { class: 'box', 'data-label': g.label, 'data-points': s.n });
      if (s.n) {
        grp.append(el('line', { x1: cx, x2: cx, y1: y(s.min), y2: y(s.max), stroke: g.color, class: 'whisker' }));
        for (const v of [s.min, s.max]) grp.append(el('line', { x1: cx - bw / 4, x2: cx + bw / 4, y1: y(v), y2: y(v), stroke: g.color, class: 'whisker' }));
        grp.append(el('rect', { x: cx - bw / 2, y: y(s.q3), width: bw, height: Math.max(1, y(s.q1) - y(s.q3)),
          stroke: g.color, fill: g.color, 'fill-opacity': 0.18, class: 'iqr' }));
        grp.append(el('line', { x1: cx - bw / 2, x2: cx + bw / 2, y1: y(s.median), y2: y(s.median), stroke: g.color, class: 'median' }));
        g.values.forEach((v, j) => {
          if (!Number.isFinite(v)) return;
          const dot = el('circle', { cx: cx + bw / 2 + 10 + (j % 3) * 5, cy: y(v), r: 3.5, fill: g.color, class: 'point',
            'data-fold': j, 'data-value': v });
          dot.append(el('title', {}, `${g.label}, fold ${j + 1}: ${fmtY(v)}`));
          grp.append(dot);
        });
      }
      grp.append(el('text', { x: cx, y: H - 14, 'text-anchor': 'middle', class: 'label' }, g.label));
      svg.append(grp);
    });
  }
  return { update, element: svg };
}
