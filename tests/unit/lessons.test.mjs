// Lessons (www/js/lessons.js), the k-fold box plot's statistics, the early-stopping
// sentence and the k-fold job checks: pure parts, against the core's schema fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { experimentArgs, useSchema } from '../../www/js/schema.js';
import { normalizeConfig } from '../../www/js/state.js';
import { decodeHash, encodeConfig } from '../../www/js/url.js';
import { encodeRace } from '../../www/js/race.js';
import { applyRace, core } from './core.mjs';
import { bookFor, bookText, lessonById, lessonConfig, LESSONS, lessonSearch, raceBookCell, setActiveLesson }
  from '../../www/js/lessons.js';
import { earlyStoppingText } from '../../www/js/early-note.js';
import { checkJob } from '../../www/js/worker-kfold.js';

useSchema(JSON.parse(readFileSync(new URL('./fixtures/schema.json', import.meta.url))));
const known = () => experimentArgs().map((a) => a.name);

test('every lesson opens: its config is valid, survives its link, and its race applies', () => {
  assert.equal(new Set(LESSONS.map((l) => l.id)).size, LESSONS.length, 'ids are unique');
  for (const l of LESSONS) {
    const { config, dropped } = lessonConfig(l, known());
    assert.deepEqual(dropped, [], `${l.id}: fields the schema does not know`);
    const c = normalizeConfig(config);
    assert.deepEqual(decodeHash(`#${encodeConfig(c)}`).config, c, `${l.id}: link round trip`);
    assert.equal(c.epochs, l.config.epochs, `${l.id}: the course's epochs are kept`);
    if (l.race && core) {   // the race's form is the core's to parse (core.mjs: without a build, race.test.mjs says so)
      const { runs } = core.parseRace(l.race);
      assert.equal(applyRace(c, l.race).length, runs.length, `${l.id}: every run applies (the core)`);
      assert.equal(encodeRace({ runs }), l.race, `${l.id}: the race is written in its canonical link form`);
      if (Array.isArray(l.book)) assert.equal(l.book.length, runs.length, `${l.id}: one book number per run`);
    }
    assert.ok(l.text.length > 40 && l.text.length < 400, `${l.id}: short text saying what to watch`);
  }
  // Full-size sets where the course trains on them.
  assert.equal(lessonById('mlp-mnist').config.dataset, 'mnist-full');
  assert.equal(lessonById('optimizers-fashion').config.dataset, 'fashion-mnist-full');
  assert.equal(lessonById('nope'), null);
});

test('the 95 % lesson is the config the CLI measured on the MNIST subset (crate/configs/mnist-95.json)', () => {
  const file = JSON.parse(readFileSync(new URL('../../crate/configs/mnist-95.json', import.meta.url)));
  assert.deepEqual(lessonById('mnist-95').config, file);
  // decay_steps = 6 epochs × ceil(10,000 / 64) batches: the rate reaches alpha × 0.003 at the last step.
  assert.equal(file.lr_schedule.decay_steps, file.epochs * Math.ceil(10_000 / file.batch_size));
});

test('the lesson link and the book numbers', () => {
  const l = lessonById('optimizers-kfold');
  assert.equal(lessonSearch(l), '?lesson=optimizers-kfold&race=optimizer:sgd|optimizer:adam|optimizer:adagrad|optimizer:rmsprop&kfold=5');
  assert.equal(lessonSearch(lessonById('perceptron-or')), '?lesson=perceptron-or');
  assert.equal(bookText(lessonById('mlp-mnist')), 'book: 97.65%');
  assert.equal(bookText(lessonById('mse-vs-ce')), 'book: 98.09% vs 98.24%');
  assert.equal(bookText(lessonById('optimizers-fashion')), 'book: 87.08% / 89.86% / 85.11% / 89.93%');
  assert.equal(bookText(lessonById('vanishing-gradients')), '');
  assert.equal(bookFor(lessonById('mse-vs-ce'), 1), 0.9824);
  const own = lessonById('optimizers-fashion').race;
  setActiveLesson(lessonById('optimizers-fashion'));
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => raceBookCell(i, own)), ['87.08%', '89.86%', '85.11%', '89.93%', '']);
  assert.equal(raceBookCell(0, 'optimizer:sgd|optimizer:nadam'), '', 'a changed race has no book');
  setActiveLesson(lessonById('mlp-mnist'));
  assert.equal(raceBookCell(0, own), '', 'a single-run lesson has no race column');
  setActiveLesson(null);
});

test('early stopping says why, 1-based as Keras prints epochs', () => {
  const es = { monitor: 'val_loss', min_delta: 0.001, patience: 5, stopped_epoch: 13, best_epoch: 8, best: 0.1234, restored_epoch: 8 };
  assert.equal(earlyStoppingText(es), 'Stopped early at epoch 14: val_loss did not improve by more than 0.001 for 5 epochs; '
    + 'best epoch 9 (val_loss 0.1234), weights restored from epoch 9.');
  assert.equal(earlyStoppingText({ ...es, restored_epoch: null, min_delta: 0, patience: 1 }),
    'Stopped early at epoch 14: val_loss did not improve for 1 epoch; best epoch 9 (val_loss 0.1234).');
  assert.equal(earlyStoppingText({ ...es, stopped_epoch: null }),
    'Early stopping did not stop the run; best epoch 9 (val_loss 0.1234), weights restored from epoch 9.');
  assert.equal(earlyStoppingText({ ...es, stopped_epoch: null, restored_epoch: null }), '');
  assert.equal(earlyStoppingText(null), '');
});

test('a k-fold job needs one dataset and seed, 2–10 folds, 1–6 configurations', () => {
  const c = { dataset: 'iris', seed: 1 };
  assert.deepEqual(checkJob([c, { ...c }], 3), { dataset: 'iris', seed: 1 });
  assert.throws(() => checkJob([c, { ...c, seed: 2 }], 3), /same dataset and seed/);
  assert.throws(() => checkJob([c], 1), /from 2 to 10/);
  assert.throws(() => checkJob([c], 11), /from 2 to 10/);
  assert.throws(() => checkJob([], 3), /at least one/);
  assert.throws(() => checkJob(Array(7).fill(c), 3), /at most 6/);
});
