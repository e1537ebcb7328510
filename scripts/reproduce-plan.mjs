// The course programs scripts/reproduce trains, from the lessons (www/js/lessons.js, where the book
// numbers live): one line per program file in crate/configs/reproduce/, tab-separated —
//   name  book  K     race
// `book` is a fraction (a k-fold program: one per configuration, comma-separated); `K` and `race`
// (the CLI's --folds and --vary) are "-" except for a k-fold program. Checked by
// tests/unit/lessons-configs.test.mjs.
import { bookFor, LESSONS } from '../www/js/lessons.js';

for (const l of LESSONS) {
  if (!l.reproduce) continue;
  if (l.kfold) {
    console.log([l.reproduce, l.book.join(','), l.kfold, l.race].join('\t'));
  } else {
    [l.reproduce].flat().forEach((name, i) => console.log([name, bookFor(l, i), '-', '-'].join('\t')));
  }
}
