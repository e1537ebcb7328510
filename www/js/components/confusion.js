// Confusion matrix as an accessible <table>: row = true class, column =
// predicted class, the count in each cell, the cell colour = share of its row
// (blue on the diagonal = correct, vermillion off it = mistakes; opacity
// √share so that a 5 % confusion is still visible), and each row's recall at
// its end:  recall_i = C[i][i] / Σ_j C[i][j].
// The caption gives the overall accuracy Σ_i C[i][i] / Σ C.
//
//   mountConfusion(el).update({ n: 10, counts: Uint32Array(100), labels: ['0', ..., '9'] });

/** Row-normalised matrix stats: {rowSums, shares (n*n), recall (NaN for empty rows), correct, total}. */
export function confusionStats(n, counts) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`confusion: n must be a positive whole number of classes, got ${n}`);
  if (!counts || counts.length !== n * n) {
    throw new Error(`confusion: counts must hold n·n = ${n * n} values (row-major), got ${counts?.length ?? 'none'}`);
  }
  const rowSums = new Float64Array(n);
  const shares = new Float64Array(n * n);
  const recall = new Float64Array(n);
  let correct = 0, total = 0;
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      const c = Number(counts[i * n + j]);
      if (!Number.isFinite(c) || c < 0) throw new Error(`confusion: count [${i}][${j}] is ${counts[i * n + j]}; counts must be ≥ 0`);
      rowSums[i] += c;
    }
    for (let j = 0; j < n; j += 1) shares[i * n + j] = rowSums[i] > 0 ? Number(counts[i * n + j]) / rowSums[i] : 0;
    recall[i] = rowSums[i] > 0 ? Number(counts[i * n + i]) / rowSums[i] : NaN;
    correct += Number(counts[i * n + i]);
    total += rowSums[i];
  }
  return { rowSums, shares, recall, correct, total };
}

const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');

export function mountConfusion(el, { title = 'Confusion matrix' } = {}) {
  const root = document.createElement('div');
  root.className = 'gl-confusion';
  const scroll = document.createElement('div');
  scroll.className = 'gl-scroll';
  scroll.tabIndex = 0; // scrollable region reachable by keyboard on narrow screens
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', title);
  const table = document.createElement('table');
  table.className = 'gl-confusion-table';
  scroll.append(table);
  const note = document.createElement('p');
  note.className = 'gl-hint gl-confusion-note';
  root.append(note, scroll);
  el.append(root);

  // The table on screen is kept while its classes stay the same: a later evaluation (every few
  // seconds while training) rewrites its cells' numbers and colours in place (issue 14.5).
  let built = null;   // { sig, cells: n·n <td>, recalls: n <td> }

  function build(n, names) {
    const cap = document.createElement('caption');
    cap.className = 'gl-sr';
    cap.textContent = `${title}: rows are the true class, columns the predicted class, the last column the recall.`;
    const head = document.createElement('tr');
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.className = 'gl-corner';
    corner.innerHTML = '<span>true ↓</span> <span>pred →</span>';
    head.append(corner);
    for (const name of names) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = name;
      head.append(th);
    }
    const rc = document.createElement('th');
    rc.scope = 'col';
    rc.className = 'gl-recall';
    rc.textContent = 'recall';
    rc.title = 'recall = correct / all samples of this true class';
    head.append(rc);
    const thead = document.createElement('thead');
    thead.append(head);

    const cells = [];
    const recalls = [];
    const tbody = document.createElement('tbody');
    for (let i = 0; i < n; i += 1) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = names[i];
      tr.append(th);
      for (let j = 0; j < n; j += 1) {
        const td = document.createElement('td');
        cells.push(td);
        tr.append(td);
      }
      const r = document.createElement('td');
      r.className = 'gl-recall';
      recalls.push(r);
      tr.append(r);
      tbody.append(tr);
    }
    table.replaceChildren(cap, thead, tbody);
    return { cells, recalls };
  }

  /** Sets what differs only: an unchanged value does not touch the DOM. */
  const put = (el, key, v) => { if (el[key] !== v) el[key] = v; };

  function update({ n, counts, labels } = {}) {
    const st = confusionStats(n, counts);
    const names = Array.from({ length: n }, (_, i) => String(labels?.[i] ?? i));
    note.textContent = `Rows: true class · columns: predicted class · colour: share of the row. ${st.total > 0
      ? `Accuracy ${pct(st.correct / st.total)} (${st.correct} of ${st.total}).` : 'No samples yet.'}`;
    const sig = JSON.stringify(names);
    if (built?.sig !== sig) built = { sig, ...build(n, names) };
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j < n; j += 1) {
        const td = built.cells[i * n + j];
        const c = Number(counts[i * n + j]);
        const f = st.shares[i * n + j];
        const a = Math.sqrt(f); // displayed strength: square root, so small mistakes still show
        put(td, 'textContent', String(c));
        put(td, 'className', `${i === j ? 'gl-diag' : 'gl-off'}${c === 0 ? ' gl-zero' : ''}${a > 0.7 ? ' gl-f70' : ''}${a > 0.85 ? ' gl-f85' : ''}`);
        if (td.style.getPropertyValue('--f') !== a.toFixed(3)) td.style.setProperty('--f', a.toFixed(3));
        put(td, 'title', `true ${names[i]}, predicted ${names[j]}: ${c} (${pct(f)} of true ${names[i]})`);
      }
      put(built.recalls[i], 'textContent', pct(st.recall[i]));
    }
    return st;
  }

  return { update, element: root, clear: () => { table.replaceChildren(); built = null; note.textContent = ''; } };
}
