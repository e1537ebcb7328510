// Drawing on the pad in the browser tests: a 28×28 image traced as mouse
// strokes, one stroke per horizontal run of ink in each row
// (tests/e2e/playground-draw.test.mjs, tests/e2e/cnn.test.mjs).

/** Horizontal runs of ink (> threshold) per row: [[row, colStart, colEnd], …]. */
export function inkRuns(px, w, h, threshold = 100) {
  const runs = [];
  for (let r = 0; r < h; r += 1) {
    let start = -1;
    for (let c = 0; c <= w; c += 1) {
      const on = c < w && px[r * w + c] > threshold;
      if (on && start < 0) start = c;
      if (!on && start >= 0) { runs.push([r, start, c - 1]); start = -1; }
    }
  }
  return runs;
}

/** Traces `runs` (from inkRuns on a 28×28 image) on the drawing pad with the mouse. */
export async function trace(page, runs) {
  await page.locator('.gl-drawpad-canvas').scrollIntoViewIfNeeded();
  const box = await page.locator('.gl-drawpad-canvas').boundingBox();
  const at = (col, row) => [box.x + ((col + 0.5) / 28) * box.width, box.y + ((row + 0.5) / 28) * box.height];
  for (const [row, c0, c1] of runs) {
    const [x0, y] = at(c0, row);
    const [x1] = at(c1, row);
    await page.mouse.move(x0, y);
    await page.mouse.down();
    await page.mouse.move(x1 + 0.01, y, { steps: Math.max(2, c1 - c0) });
    await page.mouse.up();
  }
}

/** A test image of the worker's current dataset, as {x: 784 bytes, label}. */
export const testSample = (page, index) => page.evaluate(async (i) => {
  const s = await window.gradlab.engine.request('samples', { split: 'test', indices: [i] });
  return { x: Array.from(s.x), label: s.labels[0] };
}, index);

/** Waits until every drawing sent to the model is answered; returns the last probabilities and input. */
export async function answered(page, waitFor) {
  const done = () => waitFor(page, () => {
    const d = window.gradlab.draw;
    return d.answered === d.requests && d.last;
  });
  await done();
  await page.waitForTimeout(400);   // a repredict after the last stroke (debounced 300 ms) may still come
  await done();
  return page.evaluate(() => ({ probs: window.gradlab.draw.last, input: Array.from(window.gradlab.draw.lastInput) }));
}
