// The upload dialog's preview table: the file's first lines as the core split
// them, the line numbers in the first column; skipped lines greyed, the header
// row bold, the label column marked. DOM building only (file text never goes
// through innerHTML).
import { h } from '../dom.js';

/**
 * `lines`: [{line, cells}] (preview order); `skipped`: lines dropped before the
 * header; `header`: whether the first kept line is the header; `label`: the
 * label column's index (or -1).
 */
export function previewTable({ lines, skipped = 0, header = false, label = -1 }) {
  const width = Math.max(0, ...lines.map((l) => l.cells.length));
  const rows = lines.map((l, i) => {
    const kind = i < skipped ? 'skipped' : i === skipped && header ? 'header' : 'data';
    const cell = kind === 'header' ? 'th' : 'td';
    return h('tr', { class: `preview-${kind}` },
      h('td', { class: 'preview-line muted' }, String(l.line)),
      Array.from({ length: width }, (_, c) => h(cell, { class: c === label ? 'preview-label' : null }, l.cells[c] ?? '')));
  });
  return h('div', { class: 'preview-scroll' },
    h('table', { class: 'preview-table', 'aria-label': 'the first lines of the file' }, h('tbody', {}, rows)));
}
