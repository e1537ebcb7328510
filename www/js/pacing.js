// When a periodic write of a model is due: the recovery snapshot (recovery.js)
// and the save in this browser (store.js) both follow this rule. A write is due
// `every` ms after the last, or at an epoch's end once `epochGap` ms have
// passed; and never before COST times the last write's duration has passed,
// since a model of hundreds of MB takes a second or more to write: snapshots
// every 5 s slowed a race of two 16.7 M Adam models from ~8.5 steps/s each to
// ~0.5; waiting 20× keeps writing to ≤ 1/20 of the time.
export const COST = 20;

/**
 * @param {{since: number, every: number, epochGap: number, took?: number, epochEnded: boolean}} p
 *   ms since the last write, the two intervals, the last write's duration in ms, whether an epoch ended.
 */
export function writeDue({ since, every, epochGap, took = 0, epochEnded }) {
  const cost = COST * took;
  return since >= Math.max(every, cost) || (epochEnded && since >= Math.max(epochGap, cost));
}
