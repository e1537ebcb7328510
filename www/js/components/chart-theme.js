// The live chart's theme (chart.js): its colours and font, read from CSS, and
// when to read them again. getComputedStyle forces a style recalculation, so a
// chart reads its theme once and again only when the theme can have changed:
// the colour scheme, <body>'s class (the classroom view's chart font) or the
// chart's size (the caller's ResizeObserver).

/** The series colour variables of chart-series.js, with the fallback colour. */
const SERIES_VARS = ['--gl-series-1', '--gl-series-2', '--gl-series-3'];

/** {fg, muted, grid, bg, font, vars: {--gl-series-N: colour}} of element `el`. */
export function readTheme(el) {
  const cs = getComputedStyle(el);
  const v = (k, d) => cs.getPropertyValue(k).trim() || d;
  return { fg: v('--gl-fg', '#1b1f24'), muted: v('--gl-muted', '#6b7280'), grid: v('--gl-grid', '#8883'),
    bg: v('--gl-bg', '#fff'), font: v('--gl-chart-font', '13px system-ui, sans-serif'),
    vars: Object.fromEntries(SERIES_VARS.map((k) => [k, v(k, '#0072B2')])) };
}

/** Calls `fn` when the colour scheme or <body>'s class changes; returns the function that stops it. */
export function onThemeChange(fn) {
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', fn);
  const bodyClass = new MutationObserver(fn);
  bodyClass.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => {
    scheme.removeEventListener('change', fn);
    bodyClass.disconnect();
  };
}
