// Tiny models (XOR) run thousands of batches per training chunk; cloning
// every batch log into the page costs the main thread more than drawing them
// is worth. thinBatches keeps at most `max` logs: evenly spaced, plus the
// first, the last, and every batch where the learning rate changed (so the
// chart still marks LR changes). Epoch logs are never thinned.
export const MAX_BATCH_LOGS = 200;

export function thinBatches(batches, max = MAX_BATCH_LOGS) {
  if (batches.length <= max) return batches;
  const stride = Math.ceil(batches.length / max);
  return batches.filter((b, i) => i === 0 || i === batches.length - 1 || i % stride === 0
    || b.lr !== batches[i - 1].lr);
}
